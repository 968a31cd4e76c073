// Prisma's schema engine compiled to WebAssembly, driven through a PGlite driver adapter. This is how
// migrations are created offline: the Prisma 7 CLI would download a native engine instead.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { readMigrations } from "../src/db/migrations.js";

export const schemaPath = "prisma/schema.prisma";

interface DiffResult {
  exitCode: number;
  stdout: string;
}

interface WasmSchemaEngine {
  diff(params: unknown): Promise<DiffResult>;
  free(): void;
}

// @types/node 20 does not declare the WebAssembly global; this is the one call used here.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

type DiffTarget =
  | { tag: "migrations" }
  | { tag: "schema" }
  /** The database the engine is connected to, as it is now. */
  | { tag: "database" };

let engineModule: ReturnType<typeof instantiateEngineModule> | undefined;

// One instance per process: the bindings keep a single module-wide WebAssembly instance.
function loadEngineModule() {
  engineModule ??= instantiateEngineModule();
  return engineModule;
}

async function instantiateEngineModule() {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bindings = await import(path.join(dir, "schema_engine_bg.js"));
  // The package imports its .wasm as an ES module, which Node cannot do; instantiate it by hand.
  const { instance } = await WebAssembly.instantiate(await readFile(path.join(dir, "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings as { SchemaEngine: { new: (...args: unknown[]) => Promise<WasmSchemaEngine> } };
}

/**
 * A schema engine connected to `pglite` (a fresh in-memory one by default), with another in-memory
 * PGlite as its shadow database. Call `close()` when done: the engine leaves timers and connections open.
 */
export async function openSchemaEngine(pglite?: PGlite) {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await readFile(schemaPath, "utf8");
  const database = pglite ?? new PGlite("memory://");
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(database));
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, factory);
  const filters = { externalTables: [], externalEnums: [] };

  async function target(of: DiffTarget) {
    switch (of.tag) {
      case "schema":
        return { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] };
      case "database":
        return { tag: "schemaDatasource", files: [{ path: schemaPath, content: schema }], configDir: process.cwd() };
      case "migrations": {
        const migrations = await readMigrations();
        return {
          tag: "migrations",
          baseDir: path.resolve("prisma/migrations"),
          lockfile: { path: "migration_lock.toml", content: 'provider = "postgresql"\n' },
          shadowDbInitScript: "",
          migrationDirectories: migrations.map((migration) => ({
            path: migration.name,
            migrationFile: { path: "migration.sql", content: { tag: "ok", value: migration.sql } },
          })),
        };
      }
    }
  }

  return {
    /** The SQL that takes `from` to `to`; empty when they agree. */
    async diff(from: DiffTarget, to: DiffTarget): Promise<string> {
      const result = await engine.diff({ from: await target(from), to: await target(to), script: true, exitCode: true, filters });
      return result.exitCode === 2 ? result.stdout : "";
    },
    async close() {
      engine.free();
      if (!pglite) await database.close();
    },
  };
}
