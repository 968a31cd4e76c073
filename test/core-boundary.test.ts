import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const forbidden = /from\s+["'](@slack\/|botbuilder|botframework-|@microsoft\/|node-cron|express|restify|node:http|pino)/;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".ts")).map((entry) => path.join(entry.parentPath, entry.name));
}

describe("the core stays neutral", () => {
  it("src/core imports no platform, transport, cron or logging library", async () => {
    const files = await sourceFiles("src/core");
    expect(files.length).toBeGreaterThan(5);
    const offenders: string[] = [];
    for (const file of files) {
      const lines = (await readFile(file, "utf8")).split("\n");
      lines.forEach((line, index) => {
        if (forbidden.test(line)) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it("adapters import the core only through its seam types and entry points", async () => {
    const allowed = new Set(["kernel/interaction.js", "kernel/view.js", "kernel/bot.js", "kernel/command.js", "kernel/apology.js"]);
    const offenders: string[] = [];
    for (const file of await sourceFiles("adapters")) {
      for (const match of (await readFile(file, "utf8")).matchAll(/from\s+["'][./]+src\/core\/([^"']+)["']/g)) {
        if (!allowed.has(match[1]!)) offenders.push(`${file} imports src/core/${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("adapters see the delivery engine only through its outbound contract", async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles("adapters")) {
      for (const match of (await readFile(file, "utf8")).matchAll(/from\s+["'][./]+src\/delivery\/([^"']+)["']/g)) {
        if (match[1] !== "outbound.js") offenders.push(`${file} imports src/delivery/${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the kernel imports no feature: features import the kernel, never the other way", async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles("src/core/kernel")) {
      for (const target of await importsOf(file)) {
        if (target.startsWith(path.resolve("src/core")) && !target.startsWith(path.resolve("src/core/kernel"))) offenders.push(`${file} imports ${path.relative(".", target)}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("has no import circles inside src/core, type-only imports included", async () => {
    const files = await sourceFiles("src/core");
    const graph = new Map<string, string[]>();
    for (const file of files) graph.set(path.resolve(file), (await importsOf(file)).filter((target) => target.startsWith(path.resolve("src/core"))));
    const circles: string[] = [];
    const done = new Set<string>();
    const walk = (file: string, trail: string[]) => {
      const seen = trail.indexOf(file);
      if (seen >= 0) return void circles.push([...trail.slice(seen), file].map((step) => path.relative(".", step)).join(" -> "));
      if (done.has(file)) return;
      for (const target of graph.get(file) ?? []) walk(target, [...trail, file]);
      done.add(file);
    };
    for (const file of graph.keys()) walk(file, []);
    expect(circles).toEqual([]);
  });
});

/** The files a source file imports or re-exports by relative path, resolved to absolute `.ts` paths. */
async function importsOf(file: string): Promise<string[]> {
  const source = await readFile(file, "utf8");
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+["'](\.[^"']+)["']/g)].map((match) => path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, ".ts")));
}
