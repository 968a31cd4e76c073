// `insights` end to end: a coordinator asks on Slack and on Teams, and every figure shown is checked
// against the database; the charts come back as images through signed links; small pulse groups and
// check-ins stay hidden; periods and parts are read as typed, and a period that can't be read is said so.
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsMessage, type FakeConnector } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let coordinator: SlackUser;
const clock = new Date("2026-12-06T10:00:00Z"); // this quarter: 1 October to 31 December 2026
const inQuarter = (day: string) => new Date(`${day}T12:00:00Z`);
let calder: SeededMember[];
let kirklees: SeededMember[];
let riverside: SeededMember[];

const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ now: () => clock, env: { TI_COORDINATORS: "slack:U0COORD,teams:29:coordinator", TI_PUBLIC_URL: "http://127.0.0.1:1" } });
  const prisma = t.db.prisma;
  calder = await seedMembers(prisma, { slack: { count: 3 }, role: "champion", organisation: { name: "Calder NHS Trust", sector: "health", locality: "Calderdale" } });
  kirklees = await seedMembers(prisma, { slack: { count: 2 }, role: "member", organisation: { name: "Kirklees Council", sector: "local_authority", locality: "Kirklees" } });
  riverside = await seedMembers(prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing", locality: "Calderdale" } });
  const network = await prisma.network.findFirstOrThrow();
  const organisation = async (name: string) => prisma.organisation.findFirstOrThrow({ where: { name } });
  const [calderOrg, kirkleesOrg, riversideOrg] = [await organisation("Calder NHS Trust"), await organisation("Kirklees Council"), await organisation("Riverside Housing")];
  // Two joined before the quarter; the rest during it.
  await prisma.member.updateMany({ where: { id: { in: [calder[0]!.memberId, kirklees[0]!.memberId] } }, data: { joinedAt: new Date("2026-06-01T09:00:00Z") } });
  await prisma.member.updateMany({ where: { id: { notIn: [calder[0]!.memberId, kirklees[0]!.memberId] } }, data: { joinedAt: inQuarter("2026-10-20") } });
  await prisma.member.updateMany({ where: { id: calder[0]!.memberId }, data: { trainingLevel: "skilled" } });
  await prisma.organisation.update({ where: { id: calderOrg.id }, data: { pledgeSignedOn: new Date("2026-05-14") } });
  await prisma.organisation.update({ where: { id: riversideOrg.id }, data: { pledgeSignedOn: new Date("2026-11-02") } });

  const principle = async (name: string) => (await prisma.principle.findFirstOrThrow({ where: { name } })).id;
  const [safety, trust, choice] = [await principle("Safety"), await principle("Trust"), await principle("Choice")];
  const update = (author: SeededMember, organisationId: string, day: string, principles: string[]) =>
    prisma.update.create({
      data: { networkId: network.id, authorId: author.memberId, organisationId, text: "Ran a session", sourcePlatform: author.platform, createdAt: inQuarter(day), principles: { create: principles.map((principleId) => ({ principleId })) } },
    });
  await update(calder[0]!, calderOrg.id, "2026-10-05", [safety, trust]);
  await update(calder[1]!, calderOrg.id, "2026-11-12", [safety]);
  await update(calder[1]!, calderOrg.id, "2026-11-13", [choice]);
  await update(riverside[0]!, riversideOrg.id, "2026-11-20", [trust]);
  await update(kirklees[0]!, kirkleesOrg.id, "2026-09-10", [safety]); // before the quarter

  await prisma.keyAction.createMany({
    data: [
      { organisationId: calderOrg.id, text: "Train all reception staff", status: "done", position: 1 },
      { organisationId: calderOrg.id, text: "Review the complaints letter", status: "in_progress", position: 2 },
      { organisationId: riversideOrg.id, text: "Trauma-informed tenancy visits", status: "not_started", position: 1 },
    ],
  });
  const cycle = await prisma.reportingCycle.create({
    data: { networkId: network.id, label: "October to December 2026", opensOn: new Date("2026-10-01"), dueOn: new Date("2026-12-31") },
  });
  const request = (organisationId: string) => prisma.reportRequest.create({ data: { cycleId: cycle.id, organisationId } });
  const [calderRequest, , riversideRequest] = [await request(calderOrg.id), await request(kirkleesOrg.id), await request(riversideOrg.id)];
  const report = (requestId: string, rag: "red" | "amber" | "green", maturity: Record<string, string>) =>
    prisma.milestoneReport.create({ data: { requestId, status: "submitted", rag, milestones: [], keyActionProgress: [], maturity, submittedAt: inQuarter("2026-11-30") } });
  await report(calderRequest.id, "amber", { strategic_support: "emerging", oversight: "consistently_present", conditions: "emerging", resourcing: "not_present" });
  await report(riversideRequest.id, "green", { strategic_support: "emerging", oversight: "emerging", conditions: "emerging", resourcing: "emerging" });

  const event = await prisma.networkEvent.create({
    data: { networkId: network.id, title: "Network gathering", description: "Six-monthly", startsAt: inQuarter("2026-11-18"), endsAt: inQuarter("2026-11-18"), audience: {}, invitedAt: inQuarter("2026-10-01") },
  });
  await prisma.eventInvitation.createMany({
    data: [
      { eventId: event.id, memberId: calder[0]!.memberId, answer: "going" },
      { eventId: event.id, memberId: calder[1]!.memberId, answer: "declined" },
      { eventId: event.id, memberId: calder[2]!.memberId },
      { eventId: event.id, memberId: kirklees[0]!.memberId, answer: "going" },
      { eventId: event.id, memberId: riverside[0]!.memberId, answer: "maybe" },
    ],
  });

  const round = async (principleId: string, opensAt: string, tallies: { score: number; answers: number }[]) =>
    prisma.pulseRound.create({
      data: { networkId: network.id, questionId: (await prisma.pulseQuestion.findFirstOrThrow({ where: { principleId } })).id, opensAt: inQuarter(opensAt), closesAt: inQuarter(opensAt), closedAt: inQuarter(opensAt), tallies: { create: tallies.map((tally) => ({ ...tally, sector: "health" as const })) } },
    });
  await round(safety, "2026-10-13", [{ score: 4, answers: 4 }, { score: 2, answers: 2 }]); // six answers: shown, average 3.3
  await round(trust, "2026-11-10", [{ score: 5, answers: 2 }]); // two answers: too few to show
  await prisma.checkIn.createMany({ data: [calder[0]!, calder[1]!].map((member) => ({ memberId: member.memberId, score: 3, createdAt: inQuarter("2026-11-02") })) });
  coordinator = slackUser(t, { id: "U0COORD", name: "Coordinator" });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

async function slackAnswer(typed: string) {
  const { status, answer, since } = await coordinator.command(typed);
  expect(status).toBe(200);
  return json(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
}

const fieldsOf = (blocks: any[]) =>
  Object.fromEntries(blocks.filter((block) => block.type === "section" && block.fields).flatMap((block) => block.fields.map((field: any) => field.text.split("\n") as [string, string]).map(([label, value]: [string, string]) => [label.replace(/\*/g, ""), value])));

describe("insights for a coordinator", () => {
  it("shows the quarter's figures on Slack, each one as the database has it, with the charts as signed images", async () => {
    const reply = await slackAnswer("insights");
    const text = json(reply);
    expect(text).toContain("this quarter (1 Oct 2026 to 31 Dec 2026)");
    const prisma = t.db.prisma;
    const quarter = { gte: new Date("2026-10-01T00:00:00+01:00"), lt: new Date("2027-01-01T00:00:00Z") };
    const fields = fieldsOf(reply.blocks);
    expect(fields["Members"]).toBe(String(await prisma.member.count({ where: { leftAt: null } })));
    expect(fields["Champions"]).toBe(String(await prisma.member.count({ where: { role: "champion" } })));
    expect(fields["Joined in the period"]).toBe(String(await prisma.member.count({ where: { joinedAt: quarter } })));
    expect(fields["Updates shared"]).toBe(String(await prisma.update.count({ where: { createdAt: quarter } })));
    expect(fields["Organisations who shared"]).toBe("2");
    expect(fields["Pledge signed"]).toBe("2 (67%)");
    expect(fields["Key actions done"]).toBe(`1 of ${await prisma.keyAction.count()}`);
    expect(fields["Events held"]).toBe("1");
    expect(fields["Invitations"]).toBe(String(await prisma.eventInvitation.count()));
    expect(fields["Said they'd go"]).toBe("2 (40%)");
    expect(fields["Answered"]).toBe("4 (80%)");
    expect(fields["Pulse rounds"]).toBe("2");
    expect(fields["Check-ins"]).toMatch(/^not shown/);
    // The figures behind the charts, in words.
    expect(text).toContain("By principle: Safety 2, Trust 2, Choice 1");
    expect(text).toContain("Calder NHS Trust: Safety 2, Trust 1, Choice 1.");
    expect(text).toContain("#1 October to December 2026: Red 0, Amber 1, Green 1, Submitted, no RAG 0, No report yet 1.");
    expect(text).toContain("Safety: average 3.3 from 6 answers");
    expect(text).toContain("1 round had fewer than 5 answers");
    expect(text).toMatch(/<http:\/\/127\.0\.0\.1:1\/downloads\/insights\/dashboard\?expires=\d+&(amp;)?signature=[\w-]+\|Open the dashboard>/);
    expect(text).toContain("it works for 8 hours");
    const images = reply.blocks.filter((block: any) => block.type === "image");
    expect(images.length).toBe(5);
    for (const image of images) expect(image.alt_text.length).toBeGreaterThan(10);
  });

  it("serves each chart as a PNG drawn from the database at its signed link, and refuses an altered one", async () => {
    const reply = await slackAnswer("insights work");
    const images = reply.blocks.filter((block: any) => block.type === "image");
    expect(images.map((image: any) => new URL(image.image_url).pathname)).toEqual([
      "/downloads/insights/2026-10-01/2027-01-01/work/updates-by-month.png",
      "/downloads/insights/2026-10-01/2027-01-01/work/organisations-by-principle.png",
      "/downloads/insights/2026-10-01/2027-01-01/work/localities-by-principle.png",
    ]);
    const link = new URL(images[0].image_url);
    const local = `${t.url}${link.pathname}${link.search}`;
    const response = await fetch(local);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // The README shows this chart as it reaches chat: `TI_WRITE_DOCS=1 npx vitest run test/insights.test.ts` refreshes it.
    if (process.env.TI_WRITE_DOCS) await writeFile("docs/insights-chart.png", png);
    expect(images[0].alt_text).toContain("Nov 2026: Safety 1, Trust 1, Choice 1");
    const altered = local.replace("2026-10-01", "2026-09-01");
    expect((await fetch(altered)).status).toBe(403);
  });

  it("reads a part and a period as typed, and says kindly when a period can't be read", async () => {
    const lastMonth = json(await slackAnswer("insights work last month"));
    expect(lastMonth).toContain("The work: last month (1 Nov 2026 to 30 Nov 2026)");
    expect(lastMonth).toContain("By principle: Safety 1, Trust 1, Choice 1");
    const since = json(await slackAnswer("insights since 01/09/2026"));
    expect(since).toContain("1 Sep 2026 to 6 Dec 2026");
    expect(since).toContain("By principle: Safety 3, Trust 2, Choice 1");
    const wrong = json(await slackAnswer("insights next fortnight"));
    expect(wrong).toContain('I didn\'t understand \\"next fortnight\\" as a period');
    expect(wrong).toContain("/ti insights next fortnight");
  });

  it("shows a coordinator on Teams the same figures with native charts", async () => {
    const since = connector.calls.length;
    const response = await fetch(`${t.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: json(teamsMessage(connector.url, { id: "29:coordinator", aadObjectId: "coordinator-aad", name: "Coordinator", tenantId: "tenant-1" }, "insights organisations")),
    });
    expect(response.status).toBe(200);
    const call = await eventually(async () => connector.calls.slice(since).find((candidate) => json(candidate.activity).includes("Organisations and their pledges")), { what: "the Teams answer" });
    const card = json(call.activity);
    expect(card).toContain("Chart.VerticalBar.Grouped");
    expect(card).toContain("Chart.Donut");
    expect(card).toContain("Pledges: 2 signed, 1 not yet.");
    expect(card).toMatch(/\[Open the dashboard\]\(http:\/\/127\.0\.0\.1:1\/downloads\/insights\/dashboard\?expires=\d+&signature=[\w-]+\)/);
  });
});

describe("insights without a public address", () => {
  it("sends no chart image Slack couldn't fetch, and says what each chart shows in words instead", async () => {
    const local = await startTestApp({ now: () => clock, env: { TI_COORDINATORS: "slack:U0COORD" } });
    try {
      const { status, answer, since } = await slackUser(local, { id: "U0COORD", name: "Coordinator" }).command("insights work");
      expect(status).toBe(200);
      const reply = json(answer) === '""' ? (await local.slack.waitFor("response_url", { since })).body : answer;
      expect(reply.blocks.filter((block: any) => block.type === "image")).toEqual([]);
      expect(json(reply)).toContain("Updates per month, by principle tagged");
      expect(json(reply)).not.toContain("/downloads/insights/2026-10-01/2027-01-01/work/");
    } finally {
      await local.close();
    }
  });
});
