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
});
