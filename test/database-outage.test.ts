// The database going away under the bot and coming back (PostgreSQL, behind a proxy the test cuts):
// requests during the outage get the kind apology with what was typed, /healthz says unavailable, and
// afterwards the bot works with no restart and the dispatcher finishes a broadcast with no one sent it
// twice: outcomes it could not record while the database was away are kept and recorded when it returns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.js";
import { createLogger } from "../src/log.js";
import { createScheduler } from "../src/scheduler/scheduler.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "./support/database.js";
import { eventually } from "./support/eventually.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

let t: TestApp;
let owner: TestDatabase;
let proxy: TcpProxy;
let coordinator: SlackUser;
let sam: SlackUser;
let champions: SeededMember[];

beforeAll(async () => {
  if (!usingPostgres) return;
  owner = await createTestDatabase();
  const direct = new URL(owner.url!);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const throughProxy = new URL(direct);
  throughProxy.host = `127.0.0.1:${proxy.port}`;
  const db = await openDatabase({ kind: "postgres", url: throughProxy.toString() });
  t = await startTestApp({ db: { ...db, destroy: () => db.close() }, env: { TI_SENDING_HOURS: "always", TI_SLACK_WORKSPACE_RATE: "40", TI_DELIVERY_LEASE_SECONDS: "10" } });
  champions = await seedMembers(owner.prisma, { slack: { count: 150 }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing" } });
  const [lead] = await seedMembers(owner.prisma, { slack: { count: 1 }, role: "coordinator" });
  coordinator = slackUser(t, { id: lead!.userId, name: "alex" });
  sam = slackUser(t, { id: champions[0]!.userId, name: "sam" });
});

afterAll(async () => {
  await t?.close();
  await t?.db.close().catch(() => undefined);
  await proxy?.close();
  await owner?.destroy();
});

describe.runIf(usingPostgres)("the database restarting under the bot", () => {
  it("apologises kindly during the outage, recovers by itself, and sends a broadcast once to everyone", async () => {
    const { since } = await coordinator.command("broadcast The network event has moved to the town hall.");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const submitted = await coordinator.submit(modal, { message: "The network event has moved to the town hall.", timing: "now", who: "everyone" });
    const preview = (await t.slack.waitFor("response_url", { since: submitted.since })).body;
    const send = slackButtons(preview.blocks).find((button) => button.text.text.startsWith("Send to"))!;
    await coordinator.press(send);
    await eventually(async () => (await owner.prisma.delivery.count({ where: { status: "sent" } })) > 10, { what: "sending to start" });

    proxy.cut();
    const during = await sam.command("update Ran a workshop for 20 housing staff #safety");
    expect(during.status).toBe(200);
    const apology = JSON.stringify(during.answer);
    expect(apology).toContain("Sorry, something went wrong on our side; nothing you typed was lost");
    expect(apology).toContain("Ran a workshop for 20 housing staff #safety");
    expect((await fetch(`${t.url}/healthz`)).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    proxy.restore();

    await eventually(async () => (await fetch(`${t.url}/healthz`)).status === 200, { what: "health to return" });
    const after = await sam.command("update Ran a workshop for 20 housing staff #safety");
    expect(JSON.stringify(after.answer)).toContain("Your update is saved");
    expect(await owner.prisma.update.count()).toBe(1);

    await eventually(async () => (await owner.prisma.delivery.count({ where: { status: { in: ["queued", "sending", "retrying"] } } })) === 0, { timeoutMs: 60_000, what: "the broadcast to finish" });
    // A claim whose answer was lost with the connection is taken up again when its lease ends (10 s here).
    expect(await owner.prisma.delivery.count({ where: { status: "sent", broadcastId: { not: null } } })).toBe(champions.length + 1);
    for (const champion of champions) expect(t.slack.postCount(champion.userId)).toBe(1);
  }, 120_000);

  it("runs a scheduled slot that fell due while the database was away, once it is back", async () => {
    // A daily job due three seconds from now, read in UTC.
    const due = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_000);
    const ran: string[] = [];
    const scheduler = createScheduler({
      prisma: t.db.prisma,
      jobs: [{ id: "outage-probe", cron: `${due.getUTCSeconds()} ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`, catchUp: false, slot: (at) => at.toISOString(), run: async ({ slot }) => (ran.push(slot), "ran") }],
      timeZone: "UTC",
      log: createLogger("silent"),
      retryMs: 200,
    });
    await scheduler.start();
    try {
      proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, due.getTime() - Date.now() + 1_500));
      expect(ran).toEqual([]);
      proxy.restore();
      await eventually(async () => ran.length === 1, { what: "the missed slot to run" });
      expect(ran).toEqual([due.toISOString()]);
      // The run's outcome is recorded just after the job returns.
      await eventually(async () => (await owner.prisma.jobRun.count({ where: { job: "outage-probe", finishedAt: { not: null } } })) === 1, { what: "the run recorded" });
      expect(await owner.prisma.jobRun.count({ where: { job: "outage-probe" } })).toBe(1);
    } finally {
      proxy.restore();
      await scheduler.stop();
    }
  }, 30_000);
});
