import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { openSchemaEngine } from "../prisma/schema-engine.js";
import { openDatabase } from "../src/db/database.js";
import { readMigrations } from "../src/db/migrations.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

describe("migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.destroy());

  it("records every migration in Prisma's own history table", async () => {
    const rows = await db.prisma.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
      SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
    const files = await readMigrations();
    expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(files.map((file) => [file.name, file.checksum]));
    expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);
  });

  it("migrated database and schema.prisma agree (no drift)", async () => {
    const pglite = await PGlite.create();
    const migrated = await openDatabase({ kind: "pglite", pglite });
    const engine = await openSchemaEngine(pglite);
    try {
      expect(await engine.diff({ tag: "database" }, { tag: "schema" })).toBe("");
      expect(await engine.diff({ tag: "migrations" }, { tag: "schema" })).toBe("");
    } finally {
      await engine.close();
      await migrated.close();
    }
  }, 60_000);

  it("the drift check notices a database that differs from the schema", async () => {
    const pglite = await PGlite.create();
    const migrated = await openDatabase({ kind: "pglite", pglite });
    await pglite.exec(`ALTER TABLE "Member" DROP COLUMN "trainingLevel"`);
    const engine = await openSchemaEngine(pglite);
    try {
      expect(await engine.diff({ tag: "database" }, { tag: "schema" })).toContain("trainingLevel");
    } finally {
      await engine.close();
      await migrated.close();
    }
  }, 60_000);

  it("opening an up-to-date database again applies nothing", async () => {
    const pglite = await PGlite.create();
    const first = await openDatabase({ kind: "pglite", pglite });
    expect(first.applied.length).toBe((await readMigrations()).length);
    const again = await openDatabase({ kind: "pglite", pglite });
    expect(again.applied).toEqual([]);
    await again.prisma.$disconnect();
    await first.close();
  });
});
