// Backups that restore: a network with members, updates, an event with its invitations and a cycle with
// a filed report is backed up, restored into an empty place, and every table compared row for row. On
// embedded PGlite (a data directory) or, when DATABASE_URL is set, on PostgreSQL with pg_dump/pg_restore.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ensureNetwork } from "../src/core/network.js";
import { backupDatabase, restoreDatabase, type DatabaseLocation } from "../src/db/backup.js";
import { openDatabase, type Database } from "../src/db/database.js";
import { createTestDatabase, usingPostgres } from "./support/database.js";
import { seedMembers } from "./support/seed.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ti-backup-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A small network with something in every kind of record a coordinator would miss. */
async function seedNetwork(db: Database): Promise<void> {
  const { prisma } = db;
  const network = await ensureNetwork(prisma, { name: "Backup network", timeZone: "Europe/London", sendingHours: "always" });
  const organisation = { name: "Riverside Housing", sector: "housing" as const, locality: "Kirklees" };
  const champions = await seedMembers(prisma, { slack: { count: 3 }, teams: { count: 2, serviceUrl: "https://smba.trafficmanager.net/uk/" }, role: "champion", organisation });
  const riverside = await prisma.organisation.findFirstOrThrow({ where: { name: organisation.name } });
  await prisma.update.create({ data: { networkId: network.id, authorId: champions[0]!.memberId, organisationId: riverside.id, text: "Ran a reflective session #safety", sourcePlatform: "slack" } });
  const event = await prisma.networkEvent.create({
    data: { networkId: network.id, title: "Winter gathering", description: "", startsAt: new Date("2027-01-13T10:00:00Z"), endsAt: new Date("2027-01-13T13:00:00Z"), audience: { who: "everyone" } },
  });
  await prisma.eventInvitation.createMany({ data: champions.map((champion) => ({ eventId: event.id, memberId: champion.memberId })) });
  const cycle = await prisma.reportingCycle.create({ data: { networkId: network.id, label: "January to March 2027", opensOn: new Date("2027-01-01"), dueOn: new Date("2027-03-31"), organisationIds: [] } });
  const request = await prisma.reportRequest.create({ data: { cycleId: cycle.id, organisationId: riverside.id } });
  await prisma.milestoneReport.create({ data: { requestId: request.id, milestones: [], keyActionProgress: [], rag: "green", summary: "On track", status: "submitted" } });
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** Every table's rows, in a stable order, as JSON. */
async function everyRow(query: Query): Promise<Record<string, unknown>> {
  const tables = await query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1");
  const contents: Record<string, unknown> = {};
  for (const { name } of tables) {
    const [row] = await query(`SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]'::jsonb) AS rows FROM "${name}" t`);
    contents[name as string] = row!.rows;
  }
  return contents;
}

function withPglite(dataDir: string): Promise<Record<string, unknown>> {
  return (async () => {
    const pglite = await PGlite.create(dataDir);
    try {
      return await everyRow(async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows);
    } finally {
      await pglite.close();
    }
  })();
}

async function withPostgres(url: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await everyRow(async (sql) => (await client.query(sql)).rows);
  } finally {
    await client.end();
  }
}

describe("backups", () => {
  it.runIf(!usingPostgres)("round-trips the embedded database through a file into a new data directory", async () => {
    const scratch = await scratchDir();
    const source: DatabaseLocation = { kind: "pglite", dataDir: path.join(scratch, "data") };
    const db = await openDatabase(source);
    await seedNetwork(db);
    await db.close();

    const file = path.join(scratch, "backups", "network.tar.gz");
    await backupDatabase(source, file);
    const target: DatabaseLocation = { kind: "pglite", dataDir: path.join(scratch, "restored") };
    await restoreDatabase(file, target);

    const [before, after] = [await withPglite(source.dataDir), await withPglite(target.dataDir)];
    expect((before.Member as unknown[]).length).toBe(5);
    expect((before.MilestoneReport as unknown[]).length).toBe(1);
    expect(after).toEqual(before);
    await expect(restoreDatabase(file, target)).rejects.toThrow(/is not empty/);
  }, 60_000);

  it.runIf(usingPostgres)("round-trips PostgreSQL through pg_dump into an empty database", async () => {
    const source = await createTestDatabase();
    cleanups.push(() => source.destroy());
    await seedNetwork(source);
    const file = path.join(await scratchDir(), "network.dump");
    await backupDatabase({ kind: "postgres", url: source.url! }, file);

    const server = new URL(process.env.DATABASE_URL!);
    const name = `ti_restore_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const target = new URL(server);
    target.pathname = `/${name}`;
    await restoreDatabase(file, { kind: "postgres", url: target.toString() });

    const [before, after] = [await withPostgres(source.url!), await withPostgres(target.toString())];
    expect((before.Member as unknown[]).length).toBe(5);
    expect(after).toEqual(before);
    await expect(restoreDatabase(file, { kind: "postgres", url: target.toString() })).rejects.toThrow(/already has tables/);
  }, 60_000);
});
