// Proactive Teams sends in a bot process that has not loaded Teams' packages yet (see teams-lazy.test.ts):
// a delivery queued in the database before the bot starts, which its dispatcher sends before any Teams
// request arrives. With an app id the send needs a token, so the Bot Framework (botframework-connector,
// msal-node) loads for it through the adapter's shared load; undici loads at the first send in any case,
// and a failed load must leave the delivery to a later attempt, which loads it again.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureNetwork } from "../src/core/network.js";
import { oneAddress, queueDeliveries } from "../src/core/kernel/outbox.js";
import { message, text } from "../src/core/kernel/view.js";
import { openDatabase, type Database } from "../src/db/database.js";
import { coreContext } from "./support/core-context.js";
import { createTestDatabase, usingPostgres } from "./support/database.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, type ConnectorCall, type FakeConnector } from "./support/fake-connector.js";
import { botFrameworkIssuer, singleTenantEnv, startFakeEntra, type FakeEntra } from "./support/fake-entra.js";
import { baseEnv } from "./support/process.js";
import { startProbedBot } from "./support/probed-bot.js";
import { seedMembers, type SeededMember } from "./support/seed.js";

const botFrameworkPackages = ["botbuilder", "botframework-connector", "@azure/msal-node"];
const botTenant = randomUUID();
const appId = randomUUID();
const appPassword = `secret-${randomUUID()}`;
const loadedLine = "loaded the Bot Framework for Teams";

interface DeliveryRow {
  addressId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
}

/**
 * A bot's database with Teams deliveries queued before it starts: its own PostgreSQL database, or its
 * PGlite data directory, which only one process may hold, so that one is read only while no bot runs.
 */
interface Outbox {
  env: Record<string, string>;
  members: SeededMember[];
  /** The deliveries' rows now (PGlite: only with the bot stopped). */
  rows(): Promise<DeliveryRow[]>;
  /** Drops a PostgreSQL database (at the end of the file); PGlite's directory goes with `root`. */
  destroy(): Promise<void>;
}

let root: string;
let connector: FakeConnector;
let entra: FakeEntra;
const outboxes: Outbox[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ti-teams-lazy-send-"));
  [connector, entra] = await Promise.all([startFakeConnector(), startFakeEntra([{ clientId: appId, clientSecret: appPassword, tenants: [botTenant] }])]);
}, 60_000);

afterAll(async () => {
  await Promise.all([connector?.close(), entra?.close(), ...outboxes.map((outbox) => outbox.destroy())]);
  if (root) await rm(root, { recursive: true, force: true });
});

async function queueOutbox(name: string, purposeKey: string, count: number, tenantId: string): Promise<Outbox> {
  const dataDir = path.join(root, name);
  const db: Database & { destroy?: () => Promise<void>; url?: string } = usingPostgres ? await createTestDatabase() : await openDatabase({ kind: "pglite", dataDir });
  const network = await ensureNetwork(db.prisma, { name: baseEnv.TI_NETWORK_NAME, timeZone: "Europe/London", sendingHours: "always" });
  const ctx = coreContext(db, network);
  const members = await seedMembers(db.prisma, { teams: { count, tenantId, serviceUrl: connector.url } });
  for (const member of members) {
    expect(
      await queueDeliveries(ctx, { purposeKey, view: message("Lazy send", text("Sent before anyone wrote on Teams.")), recipients: oneAddress(member), respectQuietHours: false }),
    ).toBe(1);
  }
  const read = (on: Database) =>
    on.prisma.delivery.findMany({ where: { purposeKey }, select: { addressId: true, status: true, attempts: true, lastError: true, messageId: true } });
  if (usingPostgres) {
    const outbox = { env: { DATABASE_URL: db.url! }, members, rows: () => read(db), destroy: () => db.destroy!() };
    outboxes.push(outbox);
    return outbox;
  }
  await db.close();
  return {
    env: { DATA_DIR: dataDir },
    members,
    rows: async () => {
      const reopened = await openDatabase({ kind: "pglite", dataDir });
      try {
        return await read(reopened);
      } finally {
        await reopened.close();
      }
    },
    destroy: async () => {},
  };
}

/** Long enough for a duplicate send to arrive, if there were one. */
const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const callsTo = (member: SeededMember): ConnectorCall[] => connector.calls.filter((call) => call.conversationId === member.conversationId);

describe("a proactive Teams send in a process that has not loaded Teams' packages", () => {
  it("gets a token through the Bot Framework it loads once, before any Teams request, and sends each message once", async () => {
    const outbox = await queueOutbox("signed", "lazy-send:signed", 2, botTenant);
    const bot = await startProbedBot({
      ...outbox.env,
      ...singleTenantEnv(entra, { clientId: appId, clientSecret: appPassword, tenant: botTenant }),
      TI_ALLOWED_WORKSPACES: botTenant,
      TI_SENDING_HOURS: "always",
    });
    try {
      // Both are claimed together, so both sends ask for the Bot Framework before it has loaded.
      const calls = await eventually(async () => outbox.members.every((member) => callsTo(member).length > 0) && outbox.members.flatMap(callsTo), {
        timeoutMs: 30_000,
        what: "both deliveries reaching the connector",
      });
      await quietFor(1_000);
      for (const member of outbox.members) {
        expect(callsTo(member)).toHaveLength(1);
        expect(connector.delivered(member.conversationId!)).toBe(1);
      }
      for (const call of calls) {
        expect(call).toMatchObject({ method: "POST", status: 200, activity: { type: "message", summary: "Lazy send" } });
        const [scheme, token] = String(call.headers.authorization).split(" ");
        expect(scheme).toBe("Bearer");
        expect(entra.accessTokenClaims(token!)).toMatchObject({ tid: botTenant, appid: appId, aud: botFrameworkIssuer });
      }
      expect(entra.tokenRequests.length).toBeGreaterThan(0);
      expect(entra.tokenRequests.every((request) => request.status === 200 && request.tenant === botTenant && request.clientId === appId)).toBe(true);

      // The sign-in packages loaded for the sends; the router (@microsoft/teams-ai) waits for a Teams request.
      expect(await bot.loaded([...botFrameworkPackages, "@microsoft/teams-ai", "undici"])).toEqual([...botFrameworkPackages, "undici"]);
      const loads = await eventually(async () => {
        const logged = bot.logs.filter((entry) => entry.msg === loadedLine);
        return logged.length > 0 && logged;
      }, { what: "the load logged" });
      expect(loads).toHaveLength(1);
    } finally {
      await bot.stop();
    }
    const rows = await outbox.rows();
    expect(rows.map((row) => ({ status: row.status, attempts: row.attempts, sent: row.messageId !== null }))).toEqual([
      { status: "sent", attempts: 0, sent: true },
      { status: "sent", attempts: 0, sent: true },
    ]);
    expect(bot.logs.filter((entry) => entry.msg === loadedLine)).toHaveLength(1);
  }, 90_000);

  it("leaves the delivery to a later attempt while undici will not load, and sends it once when it does", async () => {
    const outbox = await queueOutbox("undici", "lazy-send:undici", 1, "tenant-1");
    const [member] = outbox.members;
    // While the flag file exists, importing undici fails, as a broken install would; each refusal is counted.
    const flag = path.join(root, "undici-broken");
    const refusals = path.join(root, "undici-refusals");
    await writeFile(flag, "");
    const brokenUndici = `
import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(${JSON.stringify(`
import { appendFileSync, existsSync } from "node:fs";
export async function resolve(specifier, context, next) {
  if (specifier === "undici" && existsSync(${JSON.stringify(flag)})) {
    appendFileSync(${JSON.stringify(refusals)}, "refused\\n");
    throw new Error("undici is broken here");
  }
  return next(specifier, context);
}`)}));
`;
    const refused = async () => (existsSync(refusals) ? (await readFile(refusals, "utf8")).split("\n").filter(Boolean).length : 0);

    const bot = await startProbedBot({ ...outbox.env, TI_ALLOWED_WORKSPACES: "tenant-1", TI_SENDING_HOURS: "always" }, [brokenUndici]);
    try {
      // Tried, refused, and tried again later (1–2 s after the first failure): the failure was retryable.
      await eventually(async () => (await refused()) >= 2, { timeoutMs: 20_000, what: "two attempts refused undici" });
      expect(callsTo(member!)).toEqual([]);
      expect(await bot.loaded(["undici", ...botFrameworkPackages])).toEqual([]);
      if (usingPostgres) {
        // PGlite's directory is the bot's alone while it runs; PostgreSQL shows the row waiting.
        const [row] = await eventually(async () => {
          const rows = await outbox.rows();
          return rows[0] !== undefined && rows[0].attempts >= 2 && rows[0].status === "retrying" && rows;
        }, { what: "the delivery waiting to be retried" });
        expect(row).toMatchObject({ status: "retrying", lastError: expect.stringContaining("could not load undici: undici is broken here"), messageId: null });
      }

      await rm(flag);
      const [call] = await eventually(async () => callsTo(member!).length > 0 && callsTo(member!), { timeoutMs: 30_000, what: "the retry reaching the connector" });
      await quietFor(1_000);
      expect(callsTo(member!)).toHaveLength(1);
      expect(connector.delivered(member!.conversationId!)).toBe(1);
      expect(call).toMatchObject({ method: "POST", status: 200, activity: { summary: "Lazy send" } });
      // Anonymous (no app id): the send needs no token, so the Bot Framework never loads.
      expect(call!.headers.authorization).toBeUndefined();
      expect(await bot.loaded(["undici", ...botFrameworkPackages])).toEqual(["undici"]);
    } finally {
      await bot.stop();
    }
    const refusedAttempts = await refused();
    const [row] = await outbox.rows();
    // Every refusal was one failed attempt, recorded; the attempt after them sent it.
    expect(row).toMatchObject({ status: "sent", attempts: refusedAttempts, lastError: null, messageId: expect.any(String) });
  }, 90_000);
});
