// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL that takes the existing migrations to schema.prisma, as Prisma's engine generates it.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { openSchemaEngine } from "./schema-engine.js";

const name = (process.argv[2] ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
if (!name) {
  console.error("Name the migration: npm run db:migration -- add_events");
  process.exit(2);
}

const engine = await openSchemaEngine();
let exitCode = 0;
try {
  const sql = await engine.diff({ tag: "migrations" }, { tag: "schema" });
  if (!sql.trim()) {
    console.log("schema.prisma and the migrations already agree: nothing to create.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join("prisma/migrations", `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    await writeFile("prisma/migrations/migration_lock.toml", '# Written by prisma/create-migration.ts\nprovider = "postgresql"\n');
    console.log(`Created ${dir}/migration.sql`);
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await engine.close();
}
// The engine leaves a timer running; exit rather than wait for it.
process.exit(exitCode);
