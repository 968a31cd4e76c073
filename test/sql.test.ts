import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

// `sql` runs the interactive path's statements on the driver, beside Prisma on the same database: what
// one writes the other must read back the same, on PGlite and on PostgreSQL, whatever the machine's zone.
describe("statements on the driver (db.sql)", () => {
  let db: TestDatabase;
  let networkId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    networkId = (await db.prisma.network.create({ data: { name: "Calder" } })).id;
  });
  afterAll(async () => db?.destroy());

  it("stores a Date as the UTC instant it is, and reads an instant back as the same Date", async () => {
    const at = new Date("2026-03-29T00:30:00.123Z"); // the night British clocks go forward
    const [written] = await db.sql<{ id: string; createdAt: Date }>`
      INSERT INTO "Member" ("id", "networkId", "displayName", "joinedAt", "updatedAt")
      VALUES (${"m-1"}, ${networkId}, ${"Robin"}, ${at}, ${at})
      RETURNING "id", "joinedAt" AT TIME ZONE 'UTC' AS "createdAt"`;
    expect(written!.createdAt).toBeInstanceOf(Date);
    expect(written!.createdAt.toISOString()).toBe(at.toISOString());
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: "m-1" } })).joinedAt.toISOString()).toBe(at.toISOString());
  });

  it("passes values as parameters: text that looks like SQL is stored as typed, and arrays as arrays", async () => {
    const text = `Robin'); DROP TABLE "Member"; --`;
    const [row] = await db.sql<{ name: string; tags: string[] }>`SELECT ${text}::text AS "name", ${["safety", "choice"]}::text[] AS "tags"`;
    expect(row).toEqual({ name: text, tags: ["safety", "choice"] });
    expect(await db.prisma.member.count()).toBe(1);
  });

  it("runs the same statement again with new values (both drivers keep it prepared)", async () => {
    const names: string[] = [];
    for (const id of ["m-1", "m-2", "m-1"]) {
      const [row] = await db.sql<{ name: string | null }>`SELECT (SELECT "displayName" FROM "Member" WHERE "id" = ${id}) AS "name"`;
      names.push(row!.name ?? "nobody");
    }
    expect(names).toEqual(["Robin", "nobody", "Robin"]);
  });

  it("answers a statement that fails with the database's error, and runs it and others again afterwards", async () => {
    const insert = (id: string) => db.sql`INSERT INTO "Member" ("id", "networkId", "displayName", "updatedAt") VALUES (${id}, ${networkId}, ${"Sam"}, now())`;
    await insert("m-3");
    await expect(insert("m-3")).rejects.toThrow(/duplicate key|unique/i);
    await expect(db.sql`SELECT "nope" FROM "Member"`).rejects.toThrow(/column "nope" does not exist/);
    await insert("m-4");
    const [row] = await db.sql<{ members: number }>`SELECT count(*)::int AS "members" FROM "Member" WHERE "id" IN ('m-3', 'm-4')`;
    expect(row!.members).toBe(2);
  });

  it("never reads from inside a transaction Prisma has open (PGlite, one session, waits for it to end)", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.prisma.$transaction(async (tx) => {
      await tx.member.update({ where: { id: "m-1" }, data: { displayName: "Robin (renamed, not yet committed)" } });
      await held;
      throw new Error("rolled back on purpose");
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    let answered = false;
    const read = db.sql<{ name: string }>`SELECT "displayName" AS "name" FROM "Member" WHERE "id" = ${"m-1"}`.finally(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (db.kind === "pglite") expect(answered).toBe(false);
    release();
    await expect(transaction).rejects.toThrow("rolled back on purpose");
    expect((await read)[0]!.name).toBe("Robin");
  });
});
