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
  await seedTraining(network.id, { calder: calderOrg.id, riverside: riversideOrg.id });
  coordinator = slackUser(t, { id: "U0COORD", name: "Coordinator" });
});

let needsShown: number;
let needsHidden: number;

/**
 * Training as the figures see it: levels on profiles, two courses and records in and out of the quarter,
 * a target each for Calder (not reached) and Riverside (reached), and two learning-needs surveys open in
 * the quarter: one with six answers (shown) and a later one with two (too few: nothing of it is shown).
 */
async function seedTraining(networkId: string, organisations: { calder: string; riverside: string }) {
  const prisma = t.db.prisma;
  await prisma.member.update({ where: { id: calder[1]!.memberId }, data: { trainingLevel: "informed" } });
  await prisma.member.update({ where: { id: riverside[0]!.memberId }, data: { trainingLevel: "enhanced" } });
  await prisma.member.update({ where: { id: kirklees[1]!.memberId }, data: { trainingLevel: "informed" } });
  const course = (number: number, level: "informed" | "skilled", format: "elearning" | "facilitated") =>
    prisma.trainingCourse.create({ data: { networkId, number, title: `Course ${number}`, level, format } });
  const [intro, skills] = [await course(1, "informed", "elearning"), await course(2, "skilled", "facilitated")];
  const record = (member: SeededMember, day: string, courseId: string | null) =>
    prisma.trainingRecord.create({ data: { memberId: member.memberId, courseId, otherTitle: courseId ? null : "A local workshop", completedOn: new Date(day) } });
  await record(calder[0]!, "2026-11-05", skills.id);
  await record(calder[0]!, "2026-10-02", intro.id);
  await record(calder[1]!, "2026-10-10", intro.id);
  await record(riverside[0]!, "2026-12-01", null);
  await record(kirklees[0]!, "2026-06-10", intro.id); // before the quarter
  await prisma.coverageTarget.create({ data: { organisationId: organisations.calder, level: "informed", measure: "percent", figure: 100 } });
  await prisma.coverageTarget.create({ data: { organisationId: organisations.riverside, level: "skilled", measure: "people", figure: 1 } });
  const survey = (sentAt: string, askedCount: number) =>
    prisma.learningNeedsSurvey.create({ data: { networkId, audience: {}, topics: ["Safety", "Trust", "Trauma and the brain"], openDays: 14, sentAt: inQuarter(sentAt), closesAt: inQuarter("2026-12-20"), askedCount } });
  const shown = await survey("2026-11-02", 9);
  const hidden = await survey("2026-11-20", 7);
  [needsShown, needsHidden] = [shown.number, hidden.number];
  const answers = (surveyId: string, rows: { levels: ("informed" | "skilled" | "enhanced")[]; topics: string[]; barriers: ("time" | "cover" | "cost")[] }[]) =>
    prisma.learningNeedsAnswer.createMany({ data: rows.map((row) => ({ surveyId, ...row, sector: "health" as const, organisationId: organisations.calder })) });
  await answers(shown.id, [
    { levels: ["skilled"], topics: ["Safety"], barriers: ["time"] },
    { levels: ["skilled", "enhanced"], topics: ["Safety", "Trust"], barriers: ["time", "cover"] },
    { levels: ["informed"], topics: [], barriers: ["cost"] },
    { levels: ["skilled"], topics: ["Trauma and the brain"], barriers: [] },
    { levels: [], topics: ["Safety"], barriers: ["time"] },
    { levels: ["enhanced"], topics: [], barriers: [] },
  ]);
  await answers(hidden.id, [
    { levels: ["enhanced"], topics: ["Trust"], barriers: ["cost"] },
    { levels: ["enhanced"], topics: ["Trust"], barriers: ["cost"] },
  ]);
}

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
    expect(images.length).toBe(6);
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

describe("insights training", () => {
  const levels = { informed: "Informed", skilled: "Skilled", enhanced: "Enhanced", specialist: "Specialist" } as const;
  const inQuarterDays = { gte: new Date("2026-10-01"), lt: new Date("2027-01-01") };

  /** `Informed 1, Skilled 1, Enhanced 0, Specialist 0, not stated 1`, counted here from the members themselves. */
  async function levelsOf(where: object) {
    const prisma = t.db.prisma;
    const parts = await Promise.all(Object.entries(levels).map(async ([level, label]) => `${label} ${await prisma.member.count({ where: { ...where, leftAt: null, trainingLevel: level as keyof typeof levels } })}`));
    return [...parts, `not stated ${await prisma.member.count({ where: { ...where, leftAt: null, trainingLevel: null } })}`].join(", ");
  }

  it("shows levels by sector and organisation, targets, training completed and the learning needs, each as the database has it", async () => {
    const reply = await slackAnswer("insights training");
    const text = json(reply);
    const prisma = t.db.prisma;
    expect(text).toContain("Training: this quarter (1 Oct 2026 to 31 Dec 2026)");
    const fields = fieldsOf(reply.blocks);
    const members = await prisma.member.count({ where: { leftAt: null } });
    expect(fields["Members with a level stated"]).toBe(`${await prisma.member.count({ where: { leftAt: null, trainingLevel: { not: null } } })} of ${members}`);
    const records = await prisma.trainingRecord.findMany({ where: { completedOn: inQuarterDays }, include: { course: true } });
    expect(records).toHaveLength(4);
    expect(fields["Training completed in the period"]).toBe(String(records.length));
    expect(fields["People who completed training"]).toBe(String(new Set(records.map((record) => record.memberId)).size));

    // Targets worked out here: members at or above the level, against the people needed.
    const rank = (level: string | null) => (level ? Object.keys(levels).indexOf(level) : -1);
    const targets = await prisma.coverageTarget.findMany({ include: { organisation: { include: { members: true } } } });
    const standing = targets.map((target) => {
      const inOrg = target.organisation.members.filter((member) => member.leftAt === null);
      const reached = inOrg.filter((member) => rank(member.trainingLevel) >= rank(target.level)).length;
      const needed = target.measure === "percent" ? Math.ceil((target.figure * inOrg.length) / 100) : target.figure;
      return { name: target.organisation.name, reached, needed, members: inOrg.length, met: reached >= needed };
    });
    expect(fields["Targets reached"]).toBe(`${standing.filter((row) => row.met).length} of ${standing.length}`);
    const calderTarget = standing.find((row) => row.name === "Calder NHS Trust")!;
    expect(calderTarget.met).toBe(false);
    expect(text).toContain(`Calder NHS Trust, target Informed or above for 100% of its members: ${calderTarget.reached} of ${calderTarget.members} members now (${Math.floor((calderTarget.reached * 100) / calderTarget.members)}%), ${calderTarget.needed - calderTarget.reached} more to reach it.`);
    expect(text).toContain("Riverside Housing, target Skilled or above for 1 person: 1 now, reached.");

    for (const name of ["Calder NHS Trust", "Kirklees Council", "Riverside Housing"]) expect(text).toContain(`${name}: ${await levelsOf({ organisation: { name } })}.`);
    expect(text).toContain(`Health: ${await levelsOf({ organisation: { sector: "health" } })}`);
    const byLevel = (label: string) => records.filter((record) => (record.course ? levels[record.course.level] : "Outside the offer") === label).length;
    const byFormat = (format: string | null) => records.filter((record) => (record.course?.format ?? null) === format).length;
    expect(text).toContain(
      `Completed in the period: ${records.length} by 3 people. By level: Informed ${byLevel("Informed")}, Skilled ${byLevel("Skilled")}, Enhanced 0, Specialist 0, Outside the offer ${byLevel("Outside the offer")}. ` +
        `By format: Online 0, Facilitated ${byFormat("facilitated")}, E-learning ${byFormat("elearning")}, Outside the offer ${byFormat(null)}.`,
    );

    // The learning needs: counts for the survey with six answers; nothing at all for the one with two.
    const shown = await prisma.learningNeedsSurvey.findFirstOrThrow({ where: { number: needsShown } });
    const chose = (field: "levels" | "topics" | "barriers", value: string) => prisma.learningNeedsAnswer.count({ where: { surveyId: shown.id, [field]: { has: value } } });
    const answered = await prisma.learningNeedsAnswer.count({ where: { surveyId: shown.id } });
    expect(answered).toBeGreaterThanOrEqual(5);
    expect(text).toContain(
      `Learning-needs survey #${needsShown} (sent 2 Nov 2026), everyone: ${answered} answers. ` +
        `Levels wanted: Informed ${await chose("levels", "informed")}, Skilled ${await chose("levels", "skilled")}, Enhanced ${await chose("levels", "enhanced")}, Specialist 0. ` +
        `Topics: Safety ${await chose("topics", "Safety")}, Trust ${await chose("topics", "Trust")}, Trauma and the brain ${await chose("topics", "Trauma and the brain")}. ` +
        `In the way: Time to take part ${await chose("barriers", "time")}, Cover for my work while I'm away ${await chose("barriers", "cover")}, Cost ${await chose("barriers", "cost")}, Something else 0.`,
    );
    expect(await prisma.learningNeedsAnswer.count({ where: { survey: { number: needsHidden } } })).toBeLessThan(5);
    expect(fields["Learning-needs answers"]).toBe(`${answered} (survey #${needsShown})`);
    const lines = reply.blocks.filter((block: any) => block.type === "section" && block.text?.text.startsWith("• ")).flatMap((block: any) => block.text.text.slice(2).split("\n• "));
    expect(lines.filter((line: string) => line.includes(`survey #${needsHidden} `))).toEqual([
      `Learning-needs survey #${needsHidden} (sent 20 Nov 2026): too few answers from everyone to keep them anonymous (fewer than 5, or a group that could be worked out from others), so no figures are shown.`,
    ]);

    const images = reply.blocks.filter((block: any) => block.type === "image");
    expect(images.map((image: any) => new URL(image.image_url).pathname)).toEqual(
      ["levels-by-sector", "coverage", "completed", "learning-needs"].map((chart) => `/downloads/insights/2026-10-01/2027-01-01/training/${chart}.png`),
    );
    const png = await fetch(`${t.url}${new URL(images[0].image_url).pathname}${new URL(images[0].image_url).search}`);
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    // Read to the end: a body left unread holds the connection open, and the server's close waits for it.
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(images[3].alt_text).toContain(`Level wanted: Skilled: ${await chose("levels", "skilled")}`);
    expect(images[3].alt_text).not.toContain("Level wanted: Enhanced: 3"); // the small survey's answers, added in, would make it 3
  });

  it("is one part of the overview, with a button to open it, and is read from words like `insights courses last month`", async () => {
    const overview = await slackAnswer("insights");
    expect(json(overview)).toContain("Members with a level stated");
    const button = overview.blocks.flatMap((block: any) => (block.type === "actions" ? block.elements : [])).find((element: any) => element.text.text === "Training");
    expect(JSON.parse(button.value)).toEqual({ verb: "insights", text: "training" });
    expect(overview.blocks.length).toBeLessThanOrEqual(50); // Slack's limit for a message, with six parts
    const lastMonth = json(await slackAnswer("insights courses last month"));
    expect(lastMonth).toContain("Training: last month (1 Nov 2026 to 30 Nov 2026)");
    const november = await t.db.prisma.trainingRecord.count({ where: { completedOn: { gte: new Date("2026-11-01"), lt: new Date("2026-12-01") } } });
    expect(lastMonth).toContain(`Completed in the period: ${november} by 1 person.`);
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
