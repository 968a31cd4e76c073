// `insights export` end to end: a coordinator asks on Slack for the board pack, the request is audited
// and a member is refused; the PDF is fetched at its signed link, drawn to images with poppler (one page
// for the summary and one a section, none blank) and read back as text against the database; the XLSX
// is read back with exceljs, sheet by sheet, against the database; an altered link is refused.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announcementFigures } from "../src/core/insights/announcement-figures.js";
import type { FigureScope } from "../src/core/insights/section.js";
import { updatesSheet } from "../src/core/insights/workbook-updates.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { coreContext } from "./support/core-context.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let coordinator: SlackUser;
let member: SlackUser;
let calder: SeededMember[];
let riverside: SeededMember[];
let folder: string;
const clock = new Date("2026-12-06T10:00:00Z"); // this quarter: 1 October to 31 December 2026
const inQuarter = (day: string) => new Date(`${day}T12:00:00Z`);
const quarter = { gte: new Date("2026-10-01T00:00:00+01:00"), lt: new Date("2027-01-01T00:00:00Z") };
const poppler = spawnSync("pdftoppm", ["-v"]).error === undefined;
if (!poppler) console.warn("board-pack.test.ts: pdftoppm is not installed (Debian: apt-get install poppler-utils), so the PDF's pages and text are not checked.");

beforeAll(async () => {
  t = await startTestApp({ now: () => clock, env: { TI_PUBLIC_URL: "http://127.0.0.1:1" } });
  folder = await mkdtemp(join(tmpdir(), "board-pack-"));
  const prisma = t.db.prisma;
  const [coordinators, kirklees] = await Promise.all([
    seedMembers(prisma, { slack: { count: 1 }, role: "coordinator" }),
    seedMembers(prisma, { slack: { count: 2 }, role: "member", organisation: { name: "Kirklees Council", sector: "local_authority", locality: "Kirklees" } }),
  ]);
  calder = await seedMembers(prisma, { slack: { count: 3 }, role: "champion", organisation: { name: "Calder NHS Trust", sector: "health", locality: "Calderdale" } });
  riverside = await seedMembers(prisma, { slack: { count: 2 }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing", locality: "Calderdale" } });
  coordinator = slackUser(t, { id: coordinators[0]!.userId, name: "alex" });
  member = slackUser(t, { id: kirklees[0]!.userId, name: "sam" });
  await prisma.member.updateMany({ data: { joinedAt: inQuarter("2026-10-20") } });
  await prisma.member.update({ where: { id: calder[0]!.memberId }, data: { trainingLevel: "skilled", displayName: "Priya Shah" } });
  await prisma.member.update({ where: { id: riverside[1]!.memberId }, data: { trainingLevel: "enhanced" } });
  const network = await prisma.network.findFirstOrThrow();
  const organisation = async (name: string) => (await prisma.organisation.findFirstOrThrow({ where: { name } })).id;
  const [calderOrg, riversideOrg] = [await organisation("Calder NHS Trust"), await organisation("Riverside Housing")];
  await prisma.organisation.update({ where: { id: calderOrg }, data: { pledgeSignedOn: new Date("2026-05-14") } });

  const principle = async (name: string) => (await prisma.principle.findFirstOrThrow({ where: { name } })).id;
  const [safety, trust] = [await principle("Safety"), await principle("Trust")];
  const update = (author: SeededMember | null, organisationId: string, day: string, text: string, principles: string[], extra: object = {}) =>
    prisma.update.create({
      data: { networkId: network.id, authorId: author?.memberId ?? null, organisationId, text, sourcePlatform: "slack", createdAt: inQuarter(day), principles: { create: principles.map((principleId) => ({ principleId })) }, ...extra },
    });
  await update(calder[0]!, calderOrg, "2026-10-05", "Ran a session on safe spaces", [safety, trust], { kind: "training_delivered", link: "https://example.org/session" });
  await update(calder[1]!, calderOrg, "2026-11-12", "Changed the waiting room", [safety], { kind: "practice_change" });
  await update(null, riversideOrg, "2026-11-20", "=Kept after its author left", [trust]); // starts "=": stays text, never a formula
  await update(riverside[0]!, riversideOrg, "2026-11-21", "Only on my profile", [trust], { sharedWithNetwork: false });
  await update(calder[2]!, calderOrg, "2026-09-10", "Before the quarter", [safety]);

  await prisma.keyAction.createMany({
    data: [
      { organisationId: calderOrg, text: "Train all reception staff", status: "done", position: 1, targetDate: new Date("2027-03-31") },
      { organisationId: calderOrg, text: "Review the complaints letter", status: "in_progress", position: 2 },
      { organisationId: riversideOrg, text: "Trauma-informed tenancy visits", status: "not_started", position: 1, targetDate: new Date("2027-06-30") },
    ],
  });
  const cycle = await prisma.reportingCycle.create({ data: { networkId: network.id, label: "October to December 2026", opensOn: new Date("2026-10-01"), dueOn: new Date("2026-12-31") } });
  const [calderRequest, riversideRequest] = [
    await prisma.reportRequest.create({ data: { cycleId: cycle.id, organisationId: calderOrg } }),
    await prisma.reportRequest.create({ data: { cycleId: cycle.id, organisationId: riversideOrg } }),
  ];
  await prisma.milestoneReport.create({
    data: {
      requestId: calderRequest.id, status: "submitted", rag: "amber", leadName: "Priya Shah", summary: "Good progress", successes: "Reception trained", challengeBudget: "No budget for cover",
      milestones: [{ text: "Board sign-off", dueOn: "2027-02-28" }], keyActionProgress: [{ keyActionId: "k1", text: "Train all reception staff", status: "done", note: "All 12" }],
      maturity: { strategic_support: "emerging", oversight: "consistently_present", conditions: "emerging", resourcing: "not_present" }, submittedAt: inQuarter("2026-11-30"),
    },
  });
  await prisma.milestoneReport.create({ data: { requestId: riversideRequest.id, status: "draft", rag: "red", summary: "A draft nobody has sent", milestones: [], keyActionProgress: [] } });

  const event = await prisma.networkEvent.create({
    data: { networkId: network.id, title: "Network gathering", description: "Six-monthly", startsAt: inQuarter("2026-11-18"), endsAt: inQuarter("2026-11-18"), audience: {}, invitedAt: inQuarter("2026-10-01") },
  });
  await prisma.eventInvitation.createMany({
    data: [
      { eventId: event.id, memberId: calder[0]!.memberId, answer: "going" },
      { eventId: event.id, memberId: calder[1]!.memberId, answer: "declined" },
      { eventId: event.id, memberId: calder[2]!.memberId },
      { eventId: event.id, memberId: riverside[0]!.memberId, answer: "maybe" },
    ],
  });
  const round = async (principleId: string, opensAt: string, tallies: { score: number; answers: number }[]) =>
    prisma.pulseRound.create({
      data: { networkId: network.id, questionId: (await prisma.pulseQuestion.findFirstOrThrow({ where: { principleId } })).id, opensAt: inQuarter(opensAt), closesAt: inQuarter(opensAt), closedAt: inQuarter(opensAt), tallies: { create: tallies.map((tally) => ({ ...tally, sector: "health" as const })) } },
    });
  await round(safety, "2026-10-13", [{ score: 4, answers: 4 }, { score: 2, answers: 2 }]); // six answers: shown
  await round(trust, "2026-11-10", [{ score: 5, answers: 2 }]); // two answers: too few to show
  await prisma.checkIn.createMany({ data: [calder[0]!, calder[1]!].map((person) => ({ memberId: person.memberId, score: 3, reflection: "A private reflection", createdAt: inQuarter("2026-11-02") })) });

  // Training: a course done twice in the quarter and once before, a target for Calder, and two learning-needs
  // surveys: one with six answers (shown) and one with three (fewer than five: no figure of it anywhere).
  const course = await prisma.trainingCourse.create({ data: { networkId: network.id, number: 1, title: "Introduction", level: "informed", format: "elearning" } });
  await prisma.trainingRecord.createMany({
    data: [
      { memberId: calder[0]!.memberId, courseId: course.id, completedOn: new Date("2026-10-15") },
      { memberId: riverside[1]!.memberId, courseId: course.id, completedOn: new Date("2026-11-15") },
      { memberId: calder[1]!.memberId, otherTitle: "A local workshop", completedOn: new Date("2026-12-02") },
      { memberId: calder[2]!.memberId, courseId: course.id, completedOn: new Date("2026-08-15") }, // before the quarter
    ],
  });
  await prisma.coverageTarget.create({ data: { organisationId: calderOrg, level: "informed", measure: "people", figure: 2 } });
  const survey = (sentAt: string) =>
    prisma.learningNeedsSurvey.create({ data: { networkId: network.id, audience: {}, topics: ["Safety"], openDays: 14, sentAt: inQuarter(sentAt), closesAt: inQuarter("2026-12-01"), askedCount: 9 } });
  const [shown, small] = [await survey("2026-11-01"), await survey("2026-11-10")];
  await prisma.learningNeedsAnswer.createMany({
    data: [
      ...Array.from({ length: 6 }, (_, index) => ({ surveyId: shown.id, levels: index < 4 ? ["skilled" as const] : [], topics: ["Safety"], barriers: index < 2 ? ["cover" as const] : [] })),
      ...Array.from({ length: 3 }, () => ({ surveyId: small.id, levels: ["specialist" as const], topics: ["Safety"], barriers: ["cost" as const] })),
    ],
  });

  // Announcements: #1 reached six people and asked Going / Can't (four answered, two clicked its link);
  // #2 reached two people and asked Got it (fewer than five: its answer is shown nowhere).
  const announce = async (day: string, ackChoices: string[], people: SeededMember[], answered: number, clicked: number) => {
    const broadcast = await prisma.broadcast.create({
      data: { networkId: network.id, text: "The charter has changed", audience: {}, queuedAt: inQuarter(day), ackChoices, recipientCount: people.length, links: { create: { position: 1, url: "https://example.org/charter" } } },
      include: { links: true },
    });
    for (const [index, person] of people.entries()) {
      const delivery = await prisma.delivery.create({
        data: { networkId: network.id, purposeKey: `broadcast:${broadcast.number}`, broadcastId: broadcast.id, memberId: person.memberId, addressId: person.addressId, platform: person.platform, workspaceId: person.workspaceId, view: {}, status: "sent", sentAt: inQuarter(day) },
      });
      if (index < answered) await prisma.broadcastAcknowledgement.create({ data: { broadcastId: broadcast.id, memberId: person.memberId, deliveryId: delivery.id, choice: ackChoices[index % ackChoices.length]!, at: inQuarter(day) } });
      if (index < clicked) await prisma.broadcastClick.create({ data: { linkId: broadcast.links[0]!.id, deliveryId: delivery.id, at: inQuarter(day) } });
    }
  };
  await announce("2026-11-03", ["Going", "Can't"], [...calder, ...riverside, kirklees[0]!], 4, 2);
  await announce("2026-11-24", ["Got it"], [calder[0]!, riverside[0]!], 2, 1);
});

afterAll(async () => {
  await t?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function answerTo(user: SlackUser, typed: string): Promise<string> {
  const { status, answer, since } = await user.command(typed);
  expect(status).toBe(200);
  return JSON.stringify(answer) === '""' ? JSON.stringify((await t.slack.waitFor("response_url", { since })).body) : JSON.stringify(answer);
}

/** The links in a Slack answer, as the test server serves them. */
function linksIn(answer: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const [, url, label] of answer.matchAll(/<(https?:[^|>]+)\|([^>]+)>/g)) {
    const link = new URL(url!.replace(/&amp;/g, "&"));
    links.set(label!, `${t.url}${link.pathname}${link.search}`);
  }
  return links;
}

let pdfLink = "";
let pdf = Buffer.alloc(0);
let xlsxLink = "";

describe("insights export", () => {
  it("refuses a member, writing nothing to the audit trail", async () => {
    const answer = await answerTo(member, "insights export");
    expect(answer).toContain("Only the network's coordinators");
    expect(await t.db.prisma.auditEntry.count({ where: { action: "insights.export" } })).toBe(0);
  });

  it("says kindly when the period can't be read", async () => {
    const answer = await answerTo(coordinator, "insights export next fortnight");
    expect(answer).toContain('I didn\'t understand \\"next fortnight\\" as a period');
    expect(await t.db.prisma.auditEntry.count({ where: { action: "insights.export" } })).toBe(0);
  });

  it("answers a coordinator with two links for 8 hours, and audits it", async () => {
    const answer = await answerTo(coordinator, "insights export");
    expect(answer).toContain("this quarter (1 Oct 2026 to 31 Dec 2026)");
    expect(answer).toContain("8 hours");
    expect(answer).toContain("don't forward");
    const links = linksIn(answer);
    pdfLink = links.get("Board pack (PDF)")!;
    xlsxLink = links.get("The figures as a workbook (XLSX)")!;
    expect(new URL(pdfLink).pathname).toBe("/downloads/insights/2026-10-01/2027-01-01/board-pack.pdf");
    expect(new URL(xlsxLink).pathname).toBe("/downloads/insights/2026-10-01/2027-01-01/figures.xlsx");
    expect(Number(new URL(pdfLink).searchParams.get("expires")) * 1000).toBe(clock.getTime() + 8 * 3_600_000);
    const audit = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { action: "insights.export" } });
    expect(audit.subject).toBe("figures for this quarter (1 Oct 2026 to 31 Dec 2026)");
    expect(audit.actorId).not.toBeNull();
  });

  it("serves the board pack as a PDF at its link", async () => {
    const response = await fetch(pdfLink);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="board-pack-2026-10-01-to-2026-12-31.pdf"');
    pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  }, 60_000);

  it("refuses an altered link", async () => {
    expect((await fetch(pdfLink.replace("2026-10-01", "2026-07-01"))).status).toBe(403);
    expect((await fetch(xlsxLink.replace("figures.xlsx", "board-pack.pdf"))).status).toBe(403);
  });
});

const popplerTitle = poppler ? "the board pack (PDF), read with poppler" : "the board pack (PDF), read with poppler: SKIPPED, poppler-utils (pdftoppm) is not installed";

describe.skipIf(!poppler)(popplerTitle, () => {
  const file = () => join(folder, "board-pack.pdf");

  beforeAll(async () => {
    await writeFile(file(), pdf);
  });

  it("has a summary page and a page for each section, none of them blank, in an embedded font", async () => {
    const info = run("pdfinfo", [file()]);
    expect(info).toMatch(/Pages:\s+8\b/);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(run("pdffonts", [file()])).toMatch(/DejaVuSans.*\byes\b/);
    run("pdftoppm", ["-r", "30", "-gray", file(), join(folder, "page")]);
    const pages = (await readdir(folder)).filter((name) => name.startsWith("page-")).sort();
    expect(pages).toHaveLength(8);
    for (const page of pages) {
      const { width, height, pixels } = readPgm(await readFile(join(folder, page)));
      expect(width).toBeGreaterThan(200);
      const inked = pixels.filter((pixel) => pixel < 200).length / (width * height);
      expect(inked, `${page} looks blank`).toBeGreaterThan(0.01);
    }
  });

  it("names the network and the period, and gives the database's figures, page by page", async () => {
    const network = await t.db.prisma.network.findFirstOrThrow();
    // In the order drawn, each figure's label before its value; lines that wrap are joined again.
    const pages = run("pdftotext", ["-raw", file(), "-"]).split("\f").map((page) => page.replace(/\s+/g, " "));
    const [summary, membership, work, organisations, events, pulses, training, announcements] = pages;
    expect(summary).toContain(network.name);
    expect(summary).toContain("Board pack: 1 Oct 2026 to 31 Dec 2026");
    expect(summary).toContain("Made on 6 December 2026 at 10:00");
    const members = await t.db.prisma.member.count({ where: { leftAt: null } });
    const shared = await t.db.prisma.update.count({ where: { createdAt: quarter } });
    expect(summary).toContain(`Members ${members}`);
    expect(summary).toContain("RAG across organisations, cycle #1 (October to December 2026): Green 0, Amber 1, Red 0, no report yet 1.");
    expect(organisations).toContain("Amber: some progress, some hurdles (1): Calder NHS Trust.");
    expect(organisations).toContain("No report yet (1): Riverside Housing.");
    expect(membership).toContain(`Members ${members}`);
    expect(membership).toContain(`Champions ${await t.db.prisma.member.count({ where: { role: "champion" } })}`);
    expect(work).toContain(`Updates shared ${shared}`);
    expect(organisations).toContain(`Key actions done 1 of ${await t.db.prisma.keyAction.count()}`);
    expect(organisations).toContain("Pledges: 1 signed, 2 not yet.");
    expect(events).toContain("Invitations 4");
    expect(events).toContain("#1 Network gathering: 4 invited, 1 going, 1 maybe, 1 can't, 1 no answer.");
    expect(pulses).toContain("Safety: average 3.3 from 6 answers");
    expect(pulses).toContain("1 round had fewer than 5 answers");
    const records = await t.db.prisma.trainingRecord.count({ where: { completedOn: { gte: new Date("2026-10-01"), lt: new Date("2027-01-01") } } });
    expect(training).toContain(`Training completed in the period ${records}`);
    expect(summary).toContain(`Training: members with a level stated ${await t.db.prisma.member.count({ where: { leftAt: null, trainingLevel: { not: null } } })} of ${members}, targets reached 0 of 1, training completed in the period ${records}.`);
    expect(training).toContain(`Members with a level stated ${await t.db.prisma.member.count({ where: { leftAt: null, trainingLevel: { not: null } } })} of ${members}`);
    expect(training).toContain("Targets reached 0 of 1");
    expect(training).toContain(`Calder NHS Trust, target Informed or above for 2 people: ${await t.db.prisma.member.count({ where: { organisation: { name: "Calder NHS Trust" }, trainingLevel: { not: null } } })} now, 1 more to reach it.`);
    expect(training).toContain(`Learning-needs survey #1 (sent 1 Nov 2026), everyone: 6 answers. Levels wanted: Informed 0, Skilled ${await t.db.prisma.learningNeedsAnswer.count({ where: { survey: { number: 1 }, levels: { has: "skilled" } } })}, Enhanced 0, Specialist 0.`);
    expect(training).toContain("Learning-needs survey #2 (sent 10 Nov 2026): too few answers from everyone to keep them anonymous");
    expect(training).not.toMatch(/Specialist [1-9]/); // the small survey's three "Specialist" answers appear nowhere
    expect(summary).toContain("Announcements: broadcasts sent 2, messages delivered 8, acknowledged 4 of 6 (67%).");
    expect(announcements).toContain("Broadcasts sent 2");
    expect(announcements).toContain("Broadcast #1: acknowledged by 4 of 6 (67%); a link clicked by 2 of 6 (33%)");
    expect(announcements).not.toContain("Broadcast #2");
    expect(pages.join("")).not.toContain("A private reflection");
    expect(pages.join("")).not.toContain("Only on my profile");
  });
});

describe("the figures as a workbook (XLSX), read with exceljs", () => {
  const workbook = new ExcelJS.Workbook();
  const rowsOf = (name: string) => {
    const sheet = workbook.getWorksheet(name)!;
    return sheet.getSheetValues().slice(2).map((row) => (row as ExcelJS.CellValue[]).slice(1));
  };

  beforeAll(async () => {
    const response = await fetch(xlsxLink);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    await workbook.xlsx.load(await response.arrayBuffer());
  }, 60_000);

  it("has a sheet per table, each with a bold, frozen header row", () => {
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["About", "Members by organisation", "Updates", "Reports", "Key actions", "Events", "Pulse results", "Training by organisation", "Training completed", "Learning needs", "Announcements"]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.getRow(1).getCell(1).font?.bold, sheet.name).toBe(true);
      expect(sheet.views[0], sheet.name).toMatchObject({ state: "frozen", ySplit: 1 });
    }
    expect(workbook.getWorksheet("Key actions")!.getRow(1).values).toEqual([undefined, "Organisation", "Key action", "Target date", "Status"]);
    expect(workbook.getWorksheet("Events")!.getRow(1).values).toEqual([undefined, "Event", "Title", "Starts", "Invited", "Going", "Maybe", "Can't go", "No answer"]);
  });

  it("gives members by organisation as the database has them", async () => {
    const rows = rowsOf("Members by organisation");
    const calderRow = rows.find((row) => row[0] === "Calder NHS Trust")!;
    expect(calderRow.slice(1, 9)).toEqual(["Health", "Calderdale", calder.length, calder.length, 0, 0, 1, 0]);
    expect(rows.find((row) => row[0] === "Riverside Housing")!.slice(3, 10)).toEqual([2, 2, 0, 0, 0, 1, 0]);
    expect(rows.find((row) => row[0] === "No organisation")!.slice(3, 6)).toEqual([1, 0, 1]);
    const total = rows.reduce((sum, row) => sum + Number(row[3]), 0);
    expect(total).toBe(await t.db.prisma.member.count({ where: { leftAt: null } }));
  });

  it("lists the quarter's updates shared with the network, dated, without private ones, and a leaver as a champion from their organisation", async () => {
    const rows = rowsOf("Updates");
    expect(rows).toHaveLength(await t.db.prisma.update.count({ where: { createdAt: quarter, sharedWithNetwork: true } }));
    expect(rows[0]).toEqual([new Date("2026-10-05T13:00:00Z"), "Calder NHS Trust", "Priya Shah", "Safety, Trust", "Training delivered", "https://example.org/session", "Ran a session on safe spaces"]);
    const leaver = rows.find((row) => row[0] instanceof Date && row[0].getTime() === new Date("2026-11-20T12:00:00Z").getTime())!;
    expect(leaver.slice(1, 3)).toEqual(["Riverside Housing", "a champion from Riverside Housing"]);
    expect(leaver[6]).toBe("=Kept after its author left");
    expect(rows.flat()).not.toContain("Only on my profile");
    expect(rows.flat()).not.toContain("Before the quarter");
  });

  it("stops the updates sheet at its limit with a row saying so, instead of leaving updates out silently", async () => {
    const ctx = coreContext(t.db, await t.db.prisma.network.findFirstOrThrow());
    const rows = [];
    for await (const row of updatesSheet(ctx, { from: quarter.gte, to: quarter.lt, label: "" }, 2).rows) rows.push(row);
    expect(rows.map((row) => row[6] ?? row[0])).toEqual(["Ran a session on safe spaces", "Changed the waiting room", "More updates than a sheet holds: these are the first 2. Export a shorter period for the rest."]);
  });

  it("gives each report's RAG fields, and a draft's status only", async () => {
    const rows = rowsOf("Reports");
    const header = workbook.getWorksheet("Reports")!.getRow(1).values as string[];
    const cell = (row: ExcelJS.CellValue[], name: string) => row[header.indexOf(name) - 1];
    const calderRow = rows.find((row) => cell(row, "Organisation") === "Calder NHS Trust")!;
    const report = await t.db.prisma.milestoneReport.findFirstOrThrow({ where: { status: "submitted" } });
    expect(cell(calderRow, "Status")).toBe("Submitted");
    expect(cell(calderRow, "RAG")).toBe("Amber: some progress, some hurdles");
    expect(cell(calderRow, "Summary")).toBe(report.summary);
    expect(cell(calderRow, "Challenges: budget")).toBe(report.challengeBudget);
    expect(cell(calderRow, "Upcoming milestones")).toBe("28 Feb 2027: Board sign-off");
    expect(cell(calderRow, "Key action progress")).toBe("Train all reception staff: Done (All 12)");
    expect(cell(calderRow, "Maturity: Steering group or oversight")).toBe("Consistently present");
    expect(cell(calderRow, "Submitted at")).toEqual(new Date("2026-11-30T12:00:00Z"));
    expect(cell(calderRow, "Due on")).toEqual(new Date("2026-12-31T00:00:00Z"));
    const draft = rows.find((row) => cell(row, "Organisation") === "Riverside Housing")!;
    expect(cell(draft, "Status")).toBe("Draft saved");
    expect(cell(draft, "RAG")).toBeUndefined();
    expect(rows.flat()).not.toContain("A draft nobody has sent");
  });

  it("gives key actions and events as the database has them", async () => {
    const actions = await t.db.prisma.keyAction.findMany({ orderBy: [{ organisation: { name: "asc" } }, { position: "asc" }], include: { organisation: true } });
    const labels = { done: "Done", in_progress: "In progress", not_started: "Not started yet" };
    expect(rowsOf("Key actions")).toEqual(actions.map((action) => [action.organisation.name, action.text, action.targetDate ?? undefined, labels[action.status]]));
    expect(rowsOf("Events")).toEqual([[1, "Network gathering", new Date("2026-11-18T12:00:00Z"), 4, 1, 1, 1, 1]]);
  });

  it("gives pulse results only for groups large enough, and no check-ins", () => {
    const rows = rowsOf("Pulse results");
    expect(rows.map((row) => row.slice(0, 5))).toEqual([
      ["Safety", "All rounds", "All answers", 6, 3.3],
      ["Safety", "Round", "#1, opened 13 Oct 2026", 6, 3.3],
      ["Safety", "Sector", "Health", 6, 3.3],
      ["Safety", "Locality", "None given", 6, 3.3],
      ["Safety", "Organisation", "None given", 6, 3.3],
    ]);
    expect(rows[0]!.slice(5)).toEqual([0, 2, 0, 4, 0]);
    expect(rows.flat()).not.toContain("Trust");
    expect(workbook.worksheets.flatMap((sheet) => sheet.getSheetValues().flat(2))).not.toContain("A private reflection");
  });

  it("gives training by organisation, training completed and learning needs as the database has them, and no figure of a small survey", async () => {
    const prisma = t.db.prisma;
    const header = workbook.getWorksheet("Training by organisation")!.getRow(1).values;
    expect(header).toEqual([undefined, "Organisation", "Sector", "Locality", "Members", "Informed", "Skilled", "Enhanced", "Specialist", "Not stated", "Target", "At or above the target's level", "Needed for the target", "Target reached", "Completed in the period"]);
    const rows = rowsOf("Training by organisation");
    const quarterDays = { gte: new Date("2026-10-01"), lt: new Date("2027-01-01") };
    for (const organisation of await prisma.organisation.findMany({ include: { coverageTarget: true } })) {
      const row = rows.find((candidate) => candidate[0] === organisation.name)!;
      const members = (trainingLevel?: "informed" | "skilled" | "enhanced" | "specialist" | null) =>
        prisma.member.count({ where: { organisationId: organisation.id, leftAt: null, ...(trainingLevel !== undefined ? { trainingLevel } : {}) } });
      expect(row.slice(3, 9), organisation.name).toEqual([await members(), await members("informed"), await members("skilled"), await members("enhanced"), await members("specialist"), await members(null)]);
      expect(row[13], organisation.name).toBe(await prisma.trainingRecord.count({ where: { completedOn: quarterDays, member: { organisationId: organisation.id } } }));
      if (!organisation.coverageTarget) expect(row.slice(9, 13), organisation.name).toEqual([undefined, undefined, undefined, undefined]);
    }
    const calderAtOrAbove = await prisma.member.count({ where: { organisation: { name: "Calder NHS Trust" }, trainingLevel: { not: null } } });
    expect(rows.find((row) => row[0] === "Calder NHS Trust")!.slice(9, 13)).toEqual(["Informed or above for 2 people", calderAtOrAbove, 2, `Not yet: ${2 - calderAtOrAbove} more`]);

    const inOffer = await prisma.trainingRecord.count({ where: { completedOn: quarterDays, courseId: { not: null } } });
    const outside = await prisma.trainingRecord.count({ where: { completedOn: quarterDays, courseId: null } });
    expect(rowsOf("Training completed")).toEqual([["Informed", "E-learning", inOffer], ["Outside the offer", "Outside the offer", outside]]);

    const needs = rowsOf("Learning needs");
    expect(needs.filter((row) => row[0] === 2)).toEqual([[2, new Date("2026-11-10T00:00:00Z"), "Not shown: fewer than 5 answers"]]);
    const first = needs.filter((row) => row[0] === 1);
    expect(new Set(first.map((row) => row[2]))).toEqual(new Set(["Everyone", "Not with an organisation", "No sector given"]));
    const chose = (field: "levels" | "topics" | "barriers", value: string) => prisma.learningNeedsAnswer.count({ where: { survey: { number: 1 }, [field]: { has: value } } });
    expect(first.filter((row) => row[2] === "Everyone").map((row) => row.slice(3))).toEqual([
      [6, "Level wanted", "Informed", 0],
      [6, "Level wanted", "Skilled", await chose("levels", "skilled")],
      [6, "Level wanted", "Enhanced", 0],
      [6, "Level wanted", "Specialist", 0],
      [6, "Topic wanted", "Safety", await chose("topics", "Safety")],
      [6, "In the way", "Time to take part", 0],
      [6, "In the way", "Cover for my work while I'm away", await chose("barriers", "cover")],
      [6, "In the way", "Cost", 0],
      [6, "In the way", "Something else", 0],
    ]);
  });

  it("counts each broadcast's reach, acknowledgements and clicks, and nothing of one that reached too few", () => {
    expect(workbook.getWorksheet("Announcements")!.getRow(1).values).toEqual([undefined, "Broadcast", "Sent", "Delivered", "Asked to acknowledge", "Acknowledged", "Links", "Clicked a link", "Note"]);
    expect(rowsOf("Announcements")).toEqual([
      [1, new Date("2026-11-03T12:00:00Z"), 6, "Going / Can't", 4, 1, 2],
      [2, new Date("2026-11-24T12:00:00Z"), 2, "Got it", undefined, 1, undefined, "Reached fewer than 5 people: no answers shown"],
    ]);
  });
});

describe("announcements for part of the network (the dashboard's filters)", () => {
  const period = { from: quarter.gte, to: quarter.lt, label: "" };
  const figures = async (scope: FigureScope) => {
    const section = await announcementFigures(coreContext(t.db, await t.db.prisma.network.findFirstOrThrow()), period, scope);
    return Object.fromEntries(section.headline.map(({ label, value }) => [label, value]));
  };

  it("counts only the members of the organisations chosen, and hides shares of fewer than five of them", async () => {
    expect(await figures({ locality: "Calderdale" })).toEqual({ "Broadcasts sent": "2", "Messages delivered": "7", Acknowledged: "4 of 5 (80%)", "Clicked a link": "2 of 5 (40%)" });
    expect(await figures({ sector: "health" })).toEqual({ "Broadcasts sent": "2", "Messages delivered": "4", Acknowledged: "not shown (fewer than 5 people)", "Clicked a link": "not shown (fewer than 5 people)" });
    expect(await figures({ sector: "education" })).toEqual({ "Broadcasts sent": "0", "Messages delivered": "0", Acknowledged: "none asked for", "Clicked a link": "no links" });
  });
});

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return result.stdout;
}

/** A binary greyscale PGM (P5) as pdftoppm writes it. */
function readPgm(file: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(file.subarray(0, 64).toString("latin1"));
  if (!header) throw new Error("Not a PGM");
  const [width, height] = [Number(header[1]), Number(header[2])];
  return { width, height, pixels: new Uint8Array(file.subarray(header[0].length)) };
}
