// Every interaction records where its person is; a request that changes nothing about the address and comes
// within a minute of the last one only reads (src/core/kernel/record-address.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../src/core/kernel/create-bot.js";
import { parseCommand } from "../src/core/kernel/command.js";
import { features } from "../src/core/features.js";
import type { Address } from "../src/core/kernel/interaction.js";
import { ensureNetwork } from "../src/core/network.js";
import { coreContext } from "./support/core-context.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

const start = new Date("2026-12-07T10:00:00Z");
const sam: Address = { platform: "slack", workspaceId: "T1", userId: "U_SAM", displayName: "Sam" };
const teamsRef = (serviceUrl: string) => ({ conversation: { id: "a:1" }, serviceUrl, channelId: "msteams" });
const jo: Address = { platform: "teams", workspaceId: "tenant-1", userId: "29:jo", displayName: "Jo", conversationRef: teamsRef("https://smba.example/uk/") };

describe("recording a person's address", () => {
  let db: TestDatabase;
  let clock = start;
  let say: (from: Address, typed: string) => Promise<unknown>;
  const at = (seconds: number) => (clock = new Date(start.getTime() + seconds * 1_000));
  /** The row as stored, with the transaction that last wrote it: an unchanged `xmin` means nothing was written. */
  const stored = async (address: Address) => {
    const [row] = await db.sql<{ xmin: string; lastSeenAt: Date; displayName: string | null; active: boolean; conversationRef: unknown; memberId: string | null }>`
      SELECT xmin::text AS "xmin", "lastSeenAt" AT TIME ZONE 'UTC' AS "lastSeenAt", "displayName", "active", "conversationRef", "memberId"
      FROM "Address" WHERE "platform" = ${address.platform}::"Platform" AND "workspaceId" = ${address.workspaceId} AND "userId" = ${address.userId}`;
    return row!;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const network = await ensureNetwork(db.prisma, { name: "Test network", timeZone: "Europe/London", sendingHours: "always" });
    const bot = createBot(coreContext(db, network, { now: () => clock }), features);
    say = (from, typed) => bot.handle({ from, ...parseCommand(typed) });
  });
  afterAll(async () => db?.destroy());

  it("writes the first time, then only reads while nothing changes within a minute", async () => {
    at(0);
    await say(sam, "help");
    const first = await stored(sam);
    expect(first).toMatchObject({ lastSeenAt: start, displayName: "Sam", active: true });

    at(59);
    await say(sam, "help");
    expect(await stored(sam)).toEqual(first);
  });

  it("writes at once when the name changes, and refreshes the last-seen time after a minute", async () => {
    const before = await stored(sam);
    at(70);
    await say({ ...sam, displayName: "Sam Jones" }, "help");
    const renamed = await stored(sam);
    expect(renamed).toMatchObject({ displayName: "Sam Jones", lastSeenAt: clock });
    expect(renamed.xmin).not.toBe(before.xmin);

    at(100);
    await say({ ...sam, displayName: "Sam Jones" }, "help");
    expect(await stored(sam)).toEqual(renamed);
    // A request without a name (some platforms leave it out) keeps the stored one and writes nothing.
    const { displayName: _, ...nameless } = sam;
    await say(nameless, "help");
    expect(await stored(sam)).toEqual(renamed);

    at(131);
    await say({ ...sam, displayName: "Sam Jones" }, "help");
    const refreshed = await stored(sam);
    expect(refreshed).toMatchObject({ displayName: "Sam Jones", lastSeenAt: clock });
    expect(refreshed.xmin).not.toBe(renamed.xmin);
  });

  it("makes an address active again at once", async () => {
    await db.sql`UPDATE "Address" SET "active" = false WHERE "userId" = ${sam.userId}`;
    at(135);
    await say({ ...sam, displayName: "Sam Jones" }, "help");
    expect(await stored(sam)).toMatchObject({ active: true, lastSeenAt: clock });
  });

  it("writes at once when a Teams conversation reference changes, and not when it is the same", async () => {
    at(200);
    await say(jo, "help");
    const first = await stored(jo);
    expect(first.conversationRef).toEqual(jo.conversationRef);

    at(210);
    await say(jo, "help");
    expect(await stored(jo)).toEqual(first);

    const moved = { ...jo, conversationRef: teamsRef("https://smba.example/emea/") };
    at(220);
    await say(moved, "help");
    expect(await stored(jo)).toMatchObject({ conversationRef: moved.conversationRef, lastSeenAt: clock });
  });

  it("knows the member behind an address as soon as they join, on a request that only reads", async () => {
    at(300);
    const alex: Address = { platform: "slack", workspaceId: "T1", userId: "U_ALEX", displayName: "Alex" };
    const refused = JSON.stringify(await say(alex, "update Ran a session on choice #choice"));
    expect(refused).toMatch(/join/i);
    expect(await db.prisma.update.count()).toBe(0);

    await db.prisma.$transaction(async (tx) => {
      const network = await tx.network.findFirstOrThrow();
      const member = await tx.member.create({ data: { networkId: network.id, displayName: "Alex", role: "champion" } });
      await tx.address.update({ where: { platform_workspaceId_userId: { platform: "slack", workspaceId: "T1", userId: "U_ALEX" } }, data: { memberId: member.id } });
    });
    const linked = await stored(alex);
    at(310);
    await say(alex, "update Ran a session on choice #choice");
    expect(await stored(alex)).toEqual(linked);
    expect(await db.prisma.update.findMany({ select: { text: true } })).toEqual([{ text: "Ran a session on choice #choice" }]);
  });
});
