import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { Prisma } from "../src/db/generated/client.js";
import { openDatabase, type Database } from "../src/db/database.js";
import { migratedDataDir } from "../src/db/pglite-template.js";

// The embedded database in its own thread (src/db/pglite-thread.ts and pglite-worker.ts): Prisma and
// `db.sql` must get from it what they got from a PGlite in their own thread, rows, errors and transactions.
describe.skipIf(Boolean(process.env.DATABASE_URL))("the embedded database in its own thread", () => {
  let dump: ArrayBuffer;
  let threaded: Database;
  let here: Database;
  let networkId: string;
  beforeAll(async () => {
    dump = await (await migratedDataDir()).arrayBuffer();
    threaded = await openDatabase({ kind: "pglite", dump });
    here = await openDatabase({ kind: "pglite", pglite: await PGlite.create({ loadDataDir: new Blob([dump]) }) });
    networkId = (await threaded.prisma.network.create({ data: { name: "Calder" } })).id;
  });
  afterAll(async () => {
    await threaded?.close();
    await here?.close();
  });

  it("reads every kind of column as a PGlite in this thread does, through Prisma and through db.sql", async () => {
    const read = (db: Database) =>
      db.prisma.$queryRaw`
        SELECT 9007199254740993::int8 AS big, 12.50::numeric AS amount, 3::int4 AS small, true AS yes, 'Robin'::text AS name,
               DATE '2026-03-29' AS day, TIMESTAMP '2026-03-29 00:30:00.123' AS "localTime",
               TIMESTAMPTZ '2026-03-29 00:30:00.123Z' AS instant, TIME '09:30' AS "clock",
               '{"safety": [1, 2]}'::jsonb AS doc, '\\x00ff'::bytea AS bytes, ARRAY['safety', 'choice'] AS tags,
               ARRAY[1.5, 2]::numeric[] AS amounts, ARRAY['slack', 'teams']::"Platform"[] AS platforms, NULL::int8 AS nothing`;
    const expected = await read(here);
    expect(await read(threaded)).toEqual(expected);
    expect(expected).toEqual([
      expect.objectContaining({ big: 9007199254740993n, amount: new Prisma.Decimal("12.5"), doc: { safety: [1, 2] }, tags: ["safety", "choice"], nothing: null }),
    ]);
    const statement = (db: Database) => db.sql`SELECT 9007199254740993::int8 AS big, now() AT TIME ZONE 'UTC' AS at, ARRAY['a', NULL] AS tags`;
    const [fromThread] = await statement(threaded);
    expect(Object.keys(fromThread as object)).toEqual(Object.keys((await statement(here))[0] as object));
    expect(fromThread).toMatchObject({ tags: ["a", null] });
    expect((fromThread as { at: unknown }).at).toBeInstanceOf(Date);
  });

  it("answers PostgreSQL's errors as Prisma's own, and keeps working after them", async () => {
    const organisation = () => threaded.prisma.organisation.create({ data: { id: "org-1", networkId, name: "Calder Trust", sector: "health" } });
    await organisation();
    await expect(organisation()).rejects.toMatchObject({ code: "P2002" });
    await expect(threaded.prisma.member.create({ data: { networkId: "no-such-network", displayName: "Sam" } })).rejects.toMatchObject({ code: "P2003" });
    await expect(threaded.prisma.$queryRawUnsafe(`SELECT "nope" FROM "Member"`)).rejects.toThrow(/column "nope" does not exist/);
    expect(await threaded.prisma.organisation.count()).toBe(1);
  });

  it("commits a transaction whose work succeeds, and rolls back one whose work fails, even after a statement in it failed", async () => {
    await threaded.prisma.$transaction(async (tx) => {
      await tx.member.create({ data: { id: "m-kept", networkId, displayName: "Kept" } });
    });
    await expect(
      threaded.prisma.$transaction(async (tx) => {
        await tx.member.create({ data: { id: "m-dropped", networkId, displayName: "Dropped" } });
        await tx.member.create({ data: { id: "m-kept", networkId, displayName: "Kept again" } });
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    await expect(
      threaded.prisma.$transaction(async (tx) => {
        await tx.member.create({ data: { id: "m-dropped", networkId, displayName: "Dropped" } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    // Prisma's batch transaction: both or neither.
    await expect(
      threaded.prisma.$transaction([
        threaded.prisma.member.create({ data: { id: "m-dropped", networkId, displayName: "Dropped" } }),
        threaded.prisma.member.create({ data: { id: "m-kept", networkId, displayName: "Kept again" } }),
      ]),
    ).rejects.toMatchObject({ code: "P2002" });
    expect((await threaded.prisma.member.findMany({ select: { id: true, displayName: true } })).map((member) => member.id)).toEqual(["m-kept"]);
    expect(await threaded.sql`SELECT 1 AS "stillAnswering"`).toEqual([{ stillAnswering: 1 }]);
  });

  it("runs transactions asked for together one after another, each seeing the last one's write", async () => {
    await threaded.prisma.organisation.update({ where: { id: "org-1" }, data: { name: "0" } });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        threaded.prisma.$transaction(async (tx) => {
          const { name } = await tx.organisation.findUniqueOrThrow({ where: { id: "org-1" } });
          await tx.organisation.update({ where: { id: "org-1" }, data: { name: String(Number(name) + 1) } });
        }),
      ),
    );
    expect((await threaded.prisma.organisation.findUniqueOrThrow({ where: { id: "org-1" } })).name).toBe("20");
  });

  it("says why when it cannot open the data directory, and refuses statements once closed", async () => {
    const scratch = await mkdtemp(path.join(tmpdir(), "ti-thread-"));
    try {
      const notADirectory = path.join(scratch, "file");
      await writeFile(notADirectory, "not a database");
      await expect(openDatabase({ kind: "pglite", dataDir: notADirectory })).rejects.toThrow(/EEXIST|ENOTDIR|not a directory|file already exists/i);
      const db = await openDatabase({ kind: "pglite", dataDir: path.join(scratch, "data") });
      expect(db.applied).toEqual([]);
      expect(db.fromTemplate).toBe(true);
      await db.close();
      await expect(db.sql`SELECT 1`).rejects.toThrow(/closed/);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
