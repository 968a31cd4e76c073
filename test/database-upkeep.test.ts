// The embedded database's nightly upkeep (src/scheduler/database-upkeep.ts): PGlite has no autovacuum, so the
// bot refreshes the planner's statistics and reclaims dead rows itself; PostgreSQL does its own.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usingPostgres } from "./support/database.js";
import { startTestApp, type TestApp } from "./support/app.js";

interface TableState {
  reltuples: number;
  lastVacuum: Date | null;
  lastAnalyze: Date | null;
}

describe("the embedded database's nightly upkeep", () => {
  let t: TestApp;
  const member = async (): Promise<TableState> => {
    const [row] = await t.db.sql<TableState>`
      SELECT c."reltuples"::float8 AS "reltuples", s."last_vacuum" AS "lastVacuum", s."last_analyze" AS "lastAnalyze"
      FROM pg_class c JOIN pg_stat_user_tables s ON s."relid" = c."oid" WHERE c."relname" = 'Member'`;
    return row!;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it.runIf(!usingPostgres)("analyses and vacuums every table once a night", async () => {
    const network = await t.db.prisma.network.findFirstOrThrow();
    const ids = Array.from({ length: 40 }, () => randomUUID());
    await t.db.prisma.member.createMany({ data: ids.map((id, index) => ({ id, networkId: network.id, displayName: `Champion ${index}` })) });
    await t.db.prisma.member.deleteMany({ where: { id: { in: ids.slice(0, 10) } } });
    const before = await member();
    expect(before.reltuples).toBe(-1); // never analysed: the planner guesses
    expect(before.lastVacuum).toBeNull();

    const night = new Date("2026-12-08T04:00:00Z");
    const run = await t.app.scheduler.runSlot("embedded-database-upkeep", night);
    expect(run).toMatchObject({ ran: true, failed: false, outcome: expect.stringMatching(/^vacuumed and analysed the embedded database in \d+ ms$/) });
    const after = await member();
    expect(after.reltuples).toBe(30);
    expect(after.lastVacuum).not.toBeNull();
    expect(after.lastAnalyze).not.toBeNull();

    // Once a night, however many processes or restarts ask.
    expect(await t.app.scheduler.runSlot("embedded-database-upkeep", new Date("2026-12-08T09:00:00Z"))).toMatchObject({ ran: false });
  });

  it.runIf(usingPostgres)("is left to PostgreSQL's autovacuum on a server", async () => {
    await expect(t.app.scheduler.runSlot("embedded-database-upkeep", new Date())).rejects.toThrow("no job embedded-database-upkeep");
  });
});
