// The audit trail: each coordinator verb leaves an entry; only coordinators read it; the CSV has them all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { viewText } from "./support/bot.js";
import { seedMembers } from "./support/seed.js";

const coordinator: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0COORD", displayName: "Alex Coordinator" };
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always" } });
});

afterAll(async () => {
  await t?.close();
});

const say = (from: Address, typed: string) => {
  const [verb, ...rest] = typed.split(" ");
  const two = ["broadcast", "audit"].includes(verb!) && ["send", "cancel", "export", "discard", "status"].includes(rest[0] ?? "");
  return t.app.bot.handle({ from, verb: two ? `${verb} ${rest.shift()}` : verb!, text: rest.join(" ") });
};

describe("the audit trail", () => {
  it("records every coordinator action with who, what, on what and when", async () => {
    const [sam] = await seedMembers(t.db.prisma, { slack: { count: 1 }, role: "champion" });
    const samName = (await t.db.prisma.member.findUniqueOrThrow({ where: { id: sam!.memberId } })).displayName;
    expect(viewText(await say(coordinator, `role ${samName} coordinator`))).toContain("is now a coordinator");

    const preview = await t.app.bot.handle({ from: coordinator, verb: "broadcast", text: "", form: { values: { message: "Hello", who: "everyone", timing: "now" }, context: {} } });
    const number = /#(\d+)/.exec(viewText(preview))![1]!;
    await say(coordinator, `broadcast send ${number}`);
    await say(coordinator, `broadcast cancel ${number}`);
    await say(coordinator, `broadcast export ${number}`);

    const entries = await t.db.prisma.auditEntry.findMany({ orderBy: { createdAt: "asc" } });
    expect(entries.map((entry) => entry.action)).toEqual(["role.change", "broadcast.send", "broadcast.cancel", "broadcast.export"]);
    expect(entries[0]).toMatchObject({ actorName: "Alex Coordinator", subject: samName, subjectMemberId: sam!.memberId, detail: "champion → coordinator" });
    expect(entries[1]).toMatchObject({ subject: `broadcast #${number}`, detail: "to 1 person, sent now" });

    const trail = viewText(await say(coordinator, "audit"));
    expect(trail).toContain("broadcast.export");
    expect(trail).toContain(`Alex Coordinator, role.change, ${samName}`);
  });

  it("is for coordinators only, and exports as CSV through a signed link", async () => {
    const [champion] = await seedMembers(t.db.prisma, { slack: { count: 1 }, role: "champion" });
    const refused = await say({ platform: "slack", workspaceId: "T0TEST", userId: champion!.userId }, "audit");
    expect(viewText(refused)).toContain("Only the network's coordinators");

    const reply = await say(coordinator, "audit export");
    const link = /\((http[^)]+)\)/.exec(JSON.stringify(reply))![1]!;
    const response = await fetch(link.replace("localhost", "127.0.0.1"));
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toBe("when,who,action,subject,detail");
    expect(lines.at(-1)).toMatch(/^\d{4}-.*,Alex Coordinator,audit.export,the audit trail,$/);
    expect(lines).toHaveLength(1 + (await t.db.prisma.auditEntry.count()));
  });
});
