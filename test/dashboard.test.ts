// The insights dashboard end to end: a coordinator asks for `insights` through the signed Slack endpoint,
// gets a signed link, and opens it in a real browser (Debian's chromium driven by playwright-core). Every
// figure checked is worked out again here from the database; filters are changed with the keyboard and
// the form; a CSV is downloaded as a person would; altered and expired links are refused.
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { stringify } from "csv-stringify/sync";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser, type SlackUser } from "./support/slack-user.js";

const chromiumPath = process.env.TI_CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) console.warn(`Skipping the dashboard's browser tests: no chromium at ${chromiumPath} (apt-get install chromium, or set TI_CHROMIUM).`);

const start = new Date("2026-12-06T10:00:00Z"); // this quarter: 1 October to 31 December 2026
let clock = start;
const inQuarter = (day: string) => new Date(`${day}T12:00:00Z`);
const quarter = { gte: new Date("2026-10-01T00:00:00+01:00"), lt: new Date("2027-01-01T00:00:00Z") };
let t: TestApp;
let coordinator: SlackUser;
let safety: string;

beforeAll(async () => {
  t = await startTestApp({ now: () => clock, env: { TI_COORDINATORS: "slack:U0COORD" } });
  const prisma = t.db.prisma;
  const calder = await seedMembers(prisma, { slack: { count: 3 }, role: "champion", organisation: { name: "Calder NHS Trust", sector: "health", locality: "Calderdale" } });
  const kirklees = await seedMembers(prisma, { slack: { count: 2 }, role: "member", organisation: { name: "Kirklees Council", sector: "local_authority", locality: "Kirklees" } });
  const riverside = await seedMembers(prisma, { slack: { count: 1 }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing", locality: "Calderdale" } });
  await seedMembers(prisma, { slack: { count: 1 }, role: "member" }); // no organisation
  const network = await prisma.network.findFirstOrThrow();
  const organisation = async (name: string) => prisma.organisation.findFirstOrThrow({ where: { name } });
  const [calderOrg, kirkleesOrg, riversideOrg] = [await organisation("Calder NHS Trust"), await organisation("Kirklees Council"), await organisation("Riverside Housing")];
  await prisma.member.updateMany({ where: { id: { in: [calder[0]!.memberId, kirklees[0]!.memberId] } }, data: { joinedAt: new Date("2026-06-01T09:00:00Z") } });
  await prisma.member.updateMany({ where: { id: { notIn: [calder[0]!.memberId, kirklees[0]!.memberId] } }, data: { joinedAt: inQuarter("2026-10-20") } });
  await prisma.organisation.update({ where: { id: calderOrg.id }, data: { pledgeSignedOn: new Date("2026-05-14") } });
  await prisma.organisation.update({ where: { id: riversideOrg.id }, data: { pledgeSignedOn: new Date("2026-11-02") } });

  const principle = async (name: string) => (await prisma.principle.findFirstOrThrow({ where: { name } })).id;
  const [trust, choice] = [await principle("Trust"), await principle("Choice")];
  safety = await principle("Safety");
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
  const cycle = await prisma.reportingCycle.create({ data: { networkId: network.id, label: "October to December 2026", opensOn: new Date("2026-10-01"), dueOn: new Date("2026-12-31") } });
  const request = (organisationId: string) => prisma.reportRequest.create({ data: { cycleId: cycle.id, organisationId } });
  const [calderRequest, , riversideRequest] = [await request(calderOrg.id), await request(kirkleesOrg.id), await request(riversideOrg.id)];
  const report = (requestId: string, rag: "red" | "amber" | "green") =>
    prisma.milestoneReport.create({ data: { requestId, status: "submitted", rag, milestones: [], keyActionProgress: [], maturity: { oversight: "emerging" }, submittedAt: inQuarter("2026-11-30") } });
  await report(calderRequest.id, "amber");
  await report(riversideRequest.id, "green");

  const event = await prisma.networkEvent.create({
    data: { networkId: network.id, title: "Network gathering", description: "Six-monthly", startsAt: inQuarter("2026-11-18"), endsAt: inQuarter("2026-11-18"), audience: {}, invitedAt: inQuarter("2026-10-01") },
  });
  await prisma.eventInvitation.createMany({
    data: [
      { eventId: event.id, memberId: calder[0]!.memberId, answer: "going" },
      { eventId: event.id, memberId: calder[1]!.memberId, answer: "declined" },
      { eventId: event.id, memberId: kirklees[0]!.memberId, answer: "going" },
      { eventId: event.id, memberId: riverside[0]!.memberId, answer: "maybe" },
    ],
  });
  const question = await prisma.pulseQuestion.findFirstOrThrow({ where: { principleId: safety } });
  await prisma.pulseRound.create({
    data: { networkId: network.id, questionId: question.id, opensAt: inQuarter("2026-10-13"), closesAt: inQuarter("2026-10-13"), closedAt: inQuarter("2026-10-13"), tallies: { create: [{ score: 4, answers: 4, sector: "health" }, { score: 2, answers: 2, sector: "health" }] } },
  });
  await prisma.checkIn.createMany({ data: [calder[0]!, calder[1]!].map((member) => ({ memberId: member.memberId, score: 3, reflection: "Private words", createdAt: inQuarter("2026-11-02") })) });
  coordinator = slackUser(t, { id: "U0COORD", name: "Coordinator" });

  // Training: levels, two courses, records in and out of the quarter, a target each for Calder and Riverside,
  // and a learning-needs survey with six answers: five from Calder (health), one from Kirklees. Six may be
  // shown for everyone; Calder's and health's five may not, since the one left over would then be known.
  await prisma.member.update({ where: { id: calder[0]!.memberId }, data: { trainingLevel: "skilled" } });
  await prisma.member.update({ where: { id: calder[1]!.memberId }, data: { trainingLevel: "informed" } });
  await prisma.member.update({ where: { id: riverside[0]!.memberId }, data: { trainingLevel: "specialist" } });
  const course = (number: number, level: "informed" | "enhanced", format: "online" | "facilitated") => prisma.trainingCourse.create({ data: { networkId: network.id, number, title: `Course ${number}`, level, format } });
  const [intro, deeper] = [await course(1, "informed", "online"), await course(2, "enhanced", "facilitated")];
  await prisma.trainingRecord.createMany({
    data: [
      { memberId: calder[0]!.memberId, courseId: intro.id, completedOn: new Date("2026-10-12") },
      { memberId: calder[1]!.memberId, courseId: intro.id, completedOn: new Date("2026-11-03") },
      { memberId: riverside[0]!.memberId, courseId: deeper.id, completedOn: new Date("2026-12-01") },
      { memberId: kirklees[0]!.memberId, courseId: intro.id, completedOn: new Date("2026-09-30") }, // before the quarter
    ],
  });
  await prisma.coverageTarget.create({ data: { organisationId: calderOrg.id, level: "informed", measure: "percent", figure: 50 } });
  await prisma.coverageTarget.create({ data: { organisationId: riversideOrg.id, level: "enhanced", measure: "people", figure: 2 } });
  const survey = await prisma.learningNeedsSurvey.create({
    data: { networkId: network.id, audience: {}, topics: ["Safety", "Trust"], openDays: 14, sentAt: inQuarter("2026-11-02"), closesAt: inQuarter("2026-11-16"), askedCount: 7 },
  });
  await prisma.learningNeedsAnswer.createMany({
    data: [
      ...Array.from({ length: 5 }, (_, index) => ({ surveyId: survey.id, levels: index < 3 ? ["skilled" as const] : [], topics: index < 2 ? ["Safety"] : ["Trust"], barriers: ["time" as const], sector: "health" as const, organisationId: calderOrg.id })),
      { surveyId: survey.id, levels: ["enhanced" as const], topics: ["Safety"], barriers: ["cost" as const], sector: "local_authority" as const, organisationId: kirkleesOrg.id },
    ],
  });
});

afterAll(async () => {
  await t?.close();
});

/** The dashboard link from `/ti insights <typed>`, pointed at the test's server. */
async function dashboardLink(typed = ""): Promise<string> {
  const { status, answer, since } = await coordinator.command(`insights ${typed}`.trim());
  expect(status).toBe(200);
  const reply = answer === "" ? (await t.slack.waitFor("response_url", { since })).body : answer;
  const text = JSON.stringify(reply);
  expect(text).toContain("works for 8 hours");
  expect(text).toContain("please don't forward it");
  const found = /<(https?:\/\/[^|>]+)\|Open the dashboard>/.exec(text);
  expect(found, "the answer links to the dashboard").not.toBeNull();
  const link = new URL(found![1]!.replace(/&amp;/g, "&"));
  expect(link.pathname).toBe("/downloads/insights/dashboard");
  expect(Number(link.searchParams.get("expires")) * 1000).toBe(clock.getTime() + 8 * 3_600_000);
  return `${t.url}${link.pathname}${link.search}`;
}

const day = (date: Date) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(date);
const sectorNames: Record<string, string> = { health: "Health", local_authority: "Local authority", housing: "Housing" };

/** The organisations table as the database has it, worked out here rather than by the code under test. */
async function expectedOrganisations(where: { sector?: "health" } = {}) {
  const prisma = t.db.prisma;
  const organisations = await prisma.organisation.findMany({ where, orderBy: { name: "asc" } });
  return Promise.all(
    organisations.map(async (organisation) => {
      const actions = (status: "done" | "in_progress" | "not_started") => prisma.keyAction.count({ where: { organisationId: organisation.id, status } });
      const report = await prisma.milestoneReport.findFirst({ where: { status: "submitted", request: { organisationId: organisation.id } }, orderBy: { submittedAt: "desc" } });
      return [
        organisation.name,
        sectorNames[organisation.sector]!,
        organisation.locality ?? "Not set",
        organisation.pledgeSignedOn ? day(organisation.pledgeSignedOn) : "not yet",
        String(await prisma.member.count({ where: { organisationId: organisation.id, role: "champion", leftAt: null } })),
        String(await actions("done")),
        String(await actions("in_progress")),
        String(await actions("not_started")),
        report?.rag ? report.rag[0]!.toUpperCase() + report.rag.slice(1) : "No report yet",
        String(await prisma.update.count({ where: { organisationId: organisation.id, createdAt: quarter } })),
      ];
    }),
  );
}

const levelKeys = ["informed", "skilled", "enhanced", "specialist"] as const;
const targetWords: Record<string, string> = { "Calder NHS Trust": "Informed or above for 50% of its members", "Riverside Housing": "Enhanced or above for 2 people" };

/** The training table as the database has it, worked out here: `null` where the page shows a dash. */
async function expectedTraining(where: { sector?: "health" } = {}) {
  const prisma = t.db.prisma;
  const organisations = await prisma.organisation.findMany({ where, orderBy: { name: "asc" }, include: { coverageTarget: true } });
  const inQuarterDays = { gte: new Date("2026-10-01"), lt: new Date("2027-01-01") };
  const row = async (name: string, sector: string | null, locality: string | null, organisationId: string | null, target: { level: string; measure: string; figure: number } | null) => {
    const members = await prisma.member.findMany({ where: { organisationId, leftAt: null } });
    const at = (level: string | null) => members.filter((member) => member.trainingLevel === level).length;
    const reached = target ? members.filter((member) => member.trainingLevel && levelKeys.indexOf(member.trainingLevel) >= levelKeys.indexOf(target.level as never)).length : null;
    const needed = target ? (target.measure === "percent" ? Math.ceil((target.figure * members.length) / 100) : target.figure) : null;
    return [
      name, sector, locality, members.length, ...levelKeys.map(at), at(null),
      target ? targetWords[name]! : null, reached, needed, target ? (reached! >= needed! ? "Reached" : `Not yet: ${needed! - reached!} more`) : null,
      await prisma.trainingRecord.count({ where: { completedOn: inQuarterDays, member: { organisationId } } }),
    ];
  };
  const rows = [];
  for (const organisation of organisations) rows.push(await row(organisation.name, sectorNames[organisation.sector]!, organisation.locality ?? "Not set", organisation.id, organisation.coverageTarget));
  if (!where.sector) rows.push(await row("No organisation", null, null, null, null));
  return rows;
}

describe("the dashboard link", () => {
  it("is refused when altered (403) and once expired (410), and its page is sent with headers that keep the signature private", async () => {
    const link = await dashboardLink();
    const ok = await fetch(link);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(ok.headers.get("referrer-policy")).toBe("no-referrer");
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
    const policy = ok.headers.get("content-security-policy")!;
    expect(policy).toMatch(/default-src 'none'/);
    expect(policy).toMatch(/style-src 'nonce-[\w+/=]+'/);
    expect(policy).not.toMatch(/script-src|unsafe-inline|https?:/);
    const body = await ok.text();
    expect(body).not.toContain("<script");
    expect(body).not.toContain("Private words");

    const url = new URL(link);
    const tampered = new URL(url);
    tampered.searchParams.set("signature", `${url.searchParams.get("signature")!.slice(0, -2)}AA`);
    const extended = new URL(url);
    extended.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
    const elsewhere = new URL(url);
    elsewhere.pathname = "/downloads/insights/dashboard/more";
    for (const altered of [tampered, extended, elsewhere]) {
      const refused = await fetch(altered);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/<h1>This link isn(&#39;|')t valid\.<\/h1>/);
    }
    clock = new Date(start.getTime() + 8 * 3_600_000 + 1_000);
    try {
      const expired = await fetch(link);
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain("This link has expired.");
    } finally {
      clock = start;
    }
  });

  it("carries the period typed in chat", async () => {
    const link = new URL(await dashboardLink("last month"));
    expect(link.searchParams.get("period")).toBe("last month");
    expect(await (await fetch(link)).text()).toContain("last month (1 Nov 2026 to 30 Nov 2026)");
  });
});

describe.skipIf(!haveChromium)(`the dashboard in a browser${haveChromium ? "" : ` (skipped: no chromium at ${chromiumPath})`}`, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: chromiumPath });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on("console", (message) => void (message.type() === "error" && problems.push(message.text())));
    page.on("pageerror", (error) => void problems.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  const headline = (section: string) =>
    page.locator(`section:has(h2:text-is("${section}")) dl.headline > div`).evaluateAll((figures) =>
      Object.fromEntries(figures.map((figure) => [figure.querySelector("dt")!.textContent!.trim(), figure.querySelector("dd")!.textContent!.trim()])),
    );
  const trainingRows = () =>
    page.locator("#training-caption").locator("xpath=..").locator("tbody tr").evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent!.trim())));
  const chartCsv = async (caption: string) => {
    const href = await page.locator(`figure:has(figcaption:text-is("${caption}")) a[download]`).getAttribute("href");
    const response = await fetch(new URL(href!, page.url()));
    expect(response.status).toBe(200);
    return (await response.text()).trim().split("\n");
  };
  const tableRows = () =>
    page.locator("#organisations-caption").locator("xpath=..").locator("tbody tr").evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent!.trim())));

  it("shows the quarter's figures under one h1, a heading a section, and every organisation as the database has it", async () => {
    const response = await page.goto(await dashboardLink());
    expect(response!.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("en-GB");
    expect(await page.locator("h1").allTextContents()).toEqual(["The network's figures, this quarter (1 Oct 2026 to 31 Dec 2026)"]);
    expect(await page.locator("h2").allTextContents()).toEqual(["Choose what to see", "Membership", "The work", "Organisations and their pledges", "Network events", "Pulses and check-ins", "Training", "Training in each organisation", "Announcements", "Each organisation"]);
    // The styles loaded under the page's nonce, and nothing was blocked.
    expect(await page.locator(".banner").evaluate((banner) => (globalThis as any).getComputedStyle(banner).backgroundColor)).toBe("rgb(29, 53, 87)");
    expect(problems).toEqual([]);

    const prisma = t.db.prisma;
    const membership = await headline("Membership");
    expect(membership["Members"]).toBe(String(await prisma.member.count({ where: { leftAt: null } })));
    expect(membership["Champions"]).toBe(String(await prisma.member.count({ where: { role: "champion" } })));
    expect((await headline("The work"))["Updates shared"]).toBe(String(await prisma.update.count({ where: { createdAt: quarter } })));
    expect((await headline("Network events"))["Invitations"]).toBe(String(await prisma.eventInvitation.count()));
    expect((await headline("Pulses and check-ins"))["Pulse answers shown"]).toBe("6");
    expect(await tableRows()).toEqual(await expectedOrganisations());
    expect(await page.locator("td:has-text('Amber')").count()).toBe(1);

    // Training, each figure against the database; the table's dashes are blanks in the CSV.
    const training = await headline("Training");
    expect(training["Members with a level stated"]).toBe(`${await prisma.member.count({ where: { leftAt: null, trainingLevel: { not: null } } })} of ${await prisma.member.count({ where: { leftAt: null } })}`);
    expect(training["Targets reached"]).toBe("1 of 2");
    const completed = await prisma.trainingRecord.findMany({ where: { completedOn: { gte: new Date("2026-10-01"), lt: new Date("2027-01-01") } } });
    expect(training["Training completed in the period"]).toBe(String(completed.length));
    expect(training["People who completed training"]).toBe(String(new Set(completed.map((record) => record.memberId)).size));
    const answers = await prisma.learningNeedsAnswer.count();
    expect(training["Learning-needs answers"]).toBe(`${answers} (survey #1)`);
    const shown = (await expectedTraining()).map((row) => row.map((cell, index) => (cell === null ? (index === 9 ? "No target" : "–") : String(cell))));
    expect(await trainingRows()).toEqual(shown);
    expect(shown.find((row) => row[0] === "Calder NHS Trust")!.slice(9, 13)).toEqual(["Informed or above for 50% of its members", "2", "2", "Reached"]);
    expect(shown.find((row) => row[0] === "Riverside Housing")!.slice(9, 13)).toEqual(["Enhanced or above for 2 people", "1", "2", "Not yet: 1 more"]);

    // Every control has a label, every table a caption and scoped headers, every chart a name.
    const unlabelled = await page.locator("input:not([type=hidden]), select, button").evaluateAll((controls) =>
      controls.filter((control) => !(control as any).labels?.length && !control.textContent?.trim()).map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    const tables = await page.locator("table").evaluateAll((found) => found.map((table) => ({ caption: table.caption?.textContent?.trim() ?? "", unscoped: table.querySelectorAll("th:not([scope])").length })));
    expect(tables.length).toBe(18); // a table under each of the 16 charts, training in each organisation, and the organisations
    for (const table of tables) expect(table).toEqual({ caption: expect.stringMatching(/\w/), unscoped: 0 });
    const charts = await page.locator("figure").evaluateAll((figures) =>
      figures.map((figure) => ({ caption: figure.querySelector("figcaption")?.textContent ?? "", name: figure.querySelector("svg")?.getAttribute("aria-label") ?? "", role: figure.querySelector("svg")?.getAttribute("role") })),
    );
    expect(charts.length).toBe(16);
    for (const chart of charts) expect(chart.name.startsWith(chart.caption)).toBe(true);
    expect(charts.every((chart) => chart.role === "img")).toBe(true);
    expect(await page.locator("a[download][href*='.csv?expires=']").count()).toBe(tables.length);

    // Reflows to a phone's width without scrolling sideways (wide tables scroll inside their own region).
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 900 });

    if (process.env.TI_WRITE_DOCS === "1") {
      await mkdir("docs", { recursive: true });
      // The top of the page, as a coordinator first sees it: the filters and the first figures.
      await page.screenshot({ path: "docs/dashboard.png", clip: { x: 0, y: 0, width: 1280, height: 1400 } });
    }
  });

  it("narrows the figures to a sector chosen with the keyboard, and to a principle", async () => {
    await page.focus("#period");
    const focused = () => page.evaluate<string>("document.activeElement.id || document.activeElement.tagName");
    for (let presses = 0; presses < 5 && (await focused()) !== "sector"; presses++) await page.keyboard.press("Tab");
    expect(await focused()).toBe("sector");
    await page.keyboard.press("ArrowDown"); // "All sectors", then Health
    expect(await page.inputValue("#sector")).toBe("health");
    for (let presses = 0; presses < 5 && (await focused()) !== "BUTTON"; presses++) await page.keyboard.press("Tab");
    expect(await focused()).toBe("BUTTON");
    await Promise.all([page.waitForURL(/sector=health/), page.keyboard.press("Enter")]);

    const prisma = t.db.prisma;
    const health = { organisation: { sector: "health" as const } };
    expect(await page.locator(".banner .scope").textContent()).toBe("Showing: Health organisations.");
    expect((await headline("Membership"))["Members"]).toBe(String(await prisma.member.count({ where: { leftAt: null, ...health } })));
    expect((await headline("The work"))["Updates shared"]).toBe(String(await prisma.update.count({ where: { createdAt: quarter, ...health } })));
    expect((await headline("Organisations and their pledges"))["Organisations"]).toBe(String(await prisma.organisation.count({ where: { sector: "health" } })));
    expect((await headline("Network events"))["Invitations"]).toBe(String(await prisma.eventInvitation.count({ where: { member: health } })));
    expect((await headline("Pulses and check-ins"))["Pulse answers shown"]).toBe("6"); // the whole network, said so on the page
    expect(await page.locator("section:has(h2:text-is('Pulses and check-ins'))").textContent()).toContain("for the whole network, whatever the filters");
    expect(await tableRows()).toEqual(await expectedOrganisations({ sector: "health" }));
    const training = await headline("Training");
    expect(training["Members with a level stated"]).toBe(`${await prisma.member.count({ where: { leftAt: null, trainingLevel: { not: null }, ...health } })} of ${await prisma.member.count({ where: { leftAt: null, ...health } })}`);
    expect(training["Targets reached"]).toBe("1 of 1");
    expect(training["Training completed in the period"]).toBe(String(await prisma.trainingRecord.count({ where: { completedOn: { gte: new Date("2026-10-01"), lt: new Date("2027-01-01") }, member: health } })));
    // Five health answers of six: showing them would give away the one left over, so no needs figure at all.
    expect(await prisma.learningNeedsAnswer.count({ where: { sector: "health" } })).toBe(5);
    expect(training["Learning-needs answers"]).toBe("not shown: too few answers to keep them anonymous");
    expect(await page.locator("section:has(h2:text-is('Training'))").textContent()).toContain("too few answers from Health to keep them anonymous");
    expect(await chartCsv("Learning needs: how many chose each answer")).toEqual(["Answer"]);
    expect(await trainingRows()).toEqual((await expectedTraining({ sector: "health" })).map((row) => row.map((cell, index) => (cell === null ? (index === 9 ? "No target" : "–") : String(cell)))));

    await page.selectOption("#principle", safety);
    await Promise.all([page.waitForURL(/principle=/), page.click("button:text('Show the figures')")]);
    expect(await page.inputValue("#sector")).toBe("health");
    const tagged = { createdAt: quarter, ...health, principles: { some: { principleId: safety } } };
    expect((await headline("The work"))["Updates shared"]).toBe(String(await prisma.update.count({ where: tagged })));
    expect(await page.locator("th:text-is('Updates in the period tagged Safety')").count()).toBe(1);
  });

  it("reads a period as typed, and keeps words it can't read with a kind message", async () => {
    await page.fill("#period", "last month");
    await Promise.all([page.waitForURL(/period=last\+month/), page.click("button:text('Show the figures')")]);
    expect(await page.locator("h1").textContent()).toBe("The network's figures, last month (1 Nov 2026 to 30 Nov 2026)");
    const november = { gte: new Date("2026-11-01T00:00:00Z"), lt: new Date("2026-12-01T00:00:00Z") };
    expect((await headline("The work"))["Updates shared"]).toBe(
      String(await t.db.prisma.update.count({ where: { createdAt: november, organisation: { sector: "health" }, principles: { some: { principleId: safety } } } })),
    );

    await page.fill("#period", "next fortnight");
    await Promise.all([page.waitForURL(/next\+fortnight/), page.click("button:text('Show the figures')")]);
    expect(await page.inputValue("#period")).toBe("next fortnight");
    expect(await page.getAttribute("#period", "aria-invalid")).toBe("true");
    expect(await page.locator("#period-error").textContent()).toContain("I didn't understand \"next fortnight\" as a period");
    expect(await page.locator("h1").textContent()).toContain("this quarter");
  });

  it("downloads the organisations table as CSV with the rows the page shows", async () => {
    await page.goto(await dashboardLink());
    await page.selectOption("#sector", "health");
    await Promise.all([page.waitForURL(/sector=health/), page.click("button:text('Show the figures')")]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("section[aria-labelledby=organisations-heading] >> text=Download this table (CSV)")]);
    expect(download.suggestedFilename()).toBe("organisations-2026-10-01-to-2026-12-31.csv");
    const csv = await readFile((await download.path())!, "utf8");
    const [calder] = await expectedOrganisations({ sector: "health" });
    const csvRow = [...calder!.slice(0, 3), "2026-05-14", ...calder!.slice(4)];
    const columns = ["Organisation", "Sector", "Locality", "Pledge signed", "Champions", "Key actions done", "Key actions in progress", "Key actions not started", "Last report RAG", "Updates in the period"];
    expect(csv).toBe(stringify([columns, csvRow]));

    const chartCsv = new URL((await page.locator("figure:has(figcaption:text-is('Updates per month, by principle tagged')) a[download]").getAttribute("href"))!, page.url());
    const response = await fetch(chartCsv);
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split("\n");
    const principles = await t.db.prisma.principle.findMany({ orderBy: { position: "asc" } });
    expect(lines[0]).toBe(["Month", ...principles.map((principle) => principle.name)].join(","));
    expect(principles.slice(0, 3).map((principle) => principle.name)).toEqual(["Safety", "Trust", "Choice"]);
    expect(lines.slice(1)).toEqual(["Oct 2026,1,1,0,0,0,0", "Nov 2026,1,0,1,0,0,0", "Dec 2026,0,0,0,0,0,0"]);
    const altered = new URL(chartCsv);
    altered.pathname = altered.pathname.replace("/work/", "/events/");
    expect((await fetch(altered)).status).toBe(403);
  });

  it("downloads the training table as CSV with the rows the page shows, and the learning needs of everyone as the database has them", async () => {
    await page.goto(await dashboardLink());
    await page.selectOption("#sector", "health");
    await Promise.all([page.waitForURL(/sector=health/), page.click("button:text('Show the figures')")]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("section[aria-labelledby=training-table-heading] >> text=Download this table (CSV)")]);
    expect(download.suggestedFilename()).toBe("training-2026-10-01-to-2026-12-31.csv");
    const columns = ["Organisation", "Sector", "Locality", "Members", "Informed", "Skilled", "Enhanced", "Specialist", "Not stated", "Target", "At or above the target's level", "Needed for the target", "Target reached", "Completed in the period"];
    expect(await readFile((await download.path())!, "utf8")).toBe(stringify([columns, ...(await expectedTraining({ sector: "health" }))]));

    await page.goto(await dashboardLink());
    const prisma = t.db.prisma;
    const chose = (field: "levels" | "topics" | "barriers", value: string) => prisma.learningNeedsAnswer.count({ where: { [field]: { has: value } } });
    expect(await chartCsv("Learning needs, survey #1: how many chose each answer")).toEqual([
      "Answer,People",
      ...(await Promise.all(levelKeys.map(async (level) => `Level wanted: ${level[0]!.toUpperCase()}${level.slice(1)},${await chose("levels", level)}`))),
      `Topic wanted: Safety,${await chose("topics", "Safety")}`,
      `Topic wanted: Trust,${await chose("topics", "Trust")}`,
      `In the way: Time to take part,${await chose("barriers", "time")}`,
      `In the way: Cover for my work while I'm away,0`,
      `In the way: Cost,${await chose("barriers", "cost")}`,
      `In the way: Something else,0`,
    ]);
    expect(await chartCsv("Members at each training level, by sector")).toEqual([
      "Sector,Informed,Skilled,Enhanced,Specialist,Not stated",
      ...(await Promise.all(
        (["health", "housing", "local_authority"] as const).map(async (sector) => {
          const count = (trainingLevel: (typeof levelKeys)[number] | null) => prisma.member.count({ where: { leftAt: null, trainingLevel, organisation: { sector } } });
          return [sectorNames[sector], ...(await Promise.all([...levelKeys.map(count), count(null)]))].join(",");
        }),
      )),
    ]);
  });

  it("answers an altered link with 403 and an expired one with 410, in words", async () => {
    const link = new URL(await dashboardLink());
    link.searchParams.set("signature", "forged");
    const refused = await page.goto(link.toString());
    expect(refused!.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("This link isn't valid.");
    const fresh = await dashboardLink();
    clock = new Date(start.getTime() + 8 * 3_600_000 + 1_000);
    try {
      const expired = await page.goto(fresh);
      expect(expired!.status()).toBe(410);
      expect(await page.locator("h1").textContent()).toBe("This link has expired.");
    } finally {
      clock = start;
    }
  });
});
