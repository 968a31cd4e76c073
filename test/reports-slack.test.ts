// Organisations, cycles and milestone reports through the real Slack endpoint: a coordinator adds an
// organisation and opens a cycle; a champion's report form is refused with every error at once, saved
// as a draft, resumed and submitted (twice, amending); the nudge job's message reaches Slack with its
// four buttons and "Not now" works from it; the coordinators' view and its CSV through the signed link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportExportColumns } from "../src/core/reports/show-reports.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let coordinator: SlackUser;
let champion: SlackUser;
let riverside: SeededMember[];
let hillside: SeededMember[];
// Monday 23 November 2026, 10:00 in London.
let clock = new Date("2026-11-23T10:00:00Z");

beforeAll(async () => {
  t = await startTestApp({ env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always" }, now: () => clock });
  coordinator = slackUser(t, { id: "U0COORD", name: "Alex Coordinator" });
});

afterAll(async () => {
  await t?.close();
});

const json = (value: unknown) => JSON.stringify(value);

async function openModal(user: SlackUser, typed: string) {
  const { status, since } = await user.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}

/** Submits a modal; a refusal comes back in the ack, anything else through the command's response_url. */
async function submit(user: SlackUser, modal: unknown, answers: Record<string, string | string[] | undefined>) {
  const { status, answer, since } = await user.submit(modal, answers);
  expect(status).toBe(200);
  if (answer?.response_action === "errors") return { errors: answer.errors as Record<string, string> };
  return { reply: json((await t.slack.waitFor("response_url", { since })).body) };
}

async function say(user: SlackUser, typed: string): Promise<string> {
  const { answer, since } = await user.command(typed);
  return json(answer) === '""' ? json((await t.slack.waitFor("response_url", { since })).body) : json(answer);
}

describe("organisations and reports on Slack", () => {
  it("lets a coordinator add an organisation, refusing a pledge date still to come, and open a cycle", async () => {
    const form = await openModal(coordinator, "org add");
    const refused = await submit(coordinator, form, { name: "Riverside Housing", sector: "housing", pledgeSignedOn: "2030-01-01", action1: "", action1Date: "2027-03-31" });
    expect(refused.errors).toMatchObject({ pledgeSignedOn: expect.stringMatching(/still to come/), action1: expect.stringMatching(/write the key action/) });
    expect(await t.db.prisma.organisation.count()).toBe(0);

    const added = await submit(coordinator, form, {
      name: "Riverside Housing",
      sector: "housing",
      locality: "Kirklees",
      pledgeSignedOn: "2026-05-14",
      action1: "Trauma-informed training for every housing officer",
      action1Date: "2027-03-31",
      action1Status: "in_progress",
      action2: "Rewrite our eviction letters with tenants",
      action2Status: "not_started",
    });
    expect(added.reply).toContain("Riverside Housing is added");
    const organisation = await t.db.prisma.organisation.findFirstOrThrow({ include: { keyActions: { orderBy: { position: "asc" } } } });
    expect(organisation.pledgeSignedOn?.toISOString().slice(0, 10)).toBe("2026-05-14");
    expect(organisation.keyActions.map((action) => [action.text, action.status])).toEqual([
      ["Trauma-informed training for every housing officer", "in_progress"],
      ["Rewrite our eviction letters with tenants", "not_started"],
    ]);

    riverside = await seedMembers(t.db.prisma, { slack: { count: 2 }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing" } });
    hillside = await seedMembers(t.db.prisma, { slack: { count: 2 }, role: "champion", organisation: { name: "Hillside School", sector: "education" } });
    champion = slackUser(t, { id: riverside[0]!.userId, name: "Sam Champion" });

    const cycleForm = await openModal(coordinator, "cycle");
    const past = await submit(coordinator, cycleForm, { dueOn: "2026-11-01", cadence: "3" });
    expect(past.errors?.dueOn).toMatch(/passed/);
    const opened = await submit(coordinator, cycleForm, { dueOn: "2026-12-04", cadence: "3" });
    expect(opened.reply).toMatch(/Cycle #\d+ \(November to December 2026\) is open: 2 organisations, reports due 4 Dec 2026/);
    expect(await t.db.prisma.reportRequest.count()).toBe(2);
    const audit = await t.db.prisma.auditEntry.findMany({ orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual(["organisation.add", "cycle.set"]);
  });

  it("refuses the report form with every problem at once, and saves nothing", async () => {
    const form = await openModal(champion, "report");
    expect(json(form)).toContain("Riverside Housing: milestone report for November to December 2026, due 4 Dec 2026");
    expect(json(form)).toContain("no previous RAG");
    const refused = await submit(champion, form, {
      rag: undefined,
      summary: " ",
      successes: "We trained 40 officers",
      milestones: "soon - launch the pilot\n01/01/2020 - something long ago",
      progress1: "done",
      action: "submit",
    });
    expect(Object.keys(refused.errors ?? {}).sort()).toEqual(["milestones", "rag", "summary"]);
    expect(refused.errors!.milestones).toMatch(/Line 1 needs a date first.*line 2: 1 Jan 2020 has passed/);
    expect(await t.db.prisma.milestoneReport.count()).toBe(0);
  });

  it("saves a draft, resumes it with everything kept, submits it, and amends rather than duplicates", async () => {
    const form = await openModal(champion, "report");
    const draft = await submit(champion, form, { successes: "We trained 40 officers", milestones: "31/01/2027 - Launch the pilot", action: "draft" });
    expect(draft.reply).toContain("draft of Riverside Housing's report is saved");
    expect(await t.db.prisma.milestoneReport.findFirstOrThrow()).toMatchObject({ status: "draft", successes: "We trained 40 officers", submittedAt: null });

    const resumed = await openModal(champion, "report");
    expect(json(resumed)).toContain("We trained 40 officers");
    expect(json(resumed)).toContain("31 Jan 2027 - Launch the pilot");
    const submitted = await submit(champion, resumed, {
      rag: "amber",
      summary: "Training is under way; letters wait for the tenants' panel.",
      successes: "We trained 40 officers",
      milestones: "31 Jan 2027 - Launch the pilot",
      progress1: "in_progress",
      progress1Note: "Two of five teams done",
      progress2: "not_started",
      maturity_strategic_support: "emerging",
      action: "submit",
    });
    expect(submitted.reply).toContain("report for November to December 2026 is in");

    const again = await openModal(champion, "report");
    expect(json(again)).toContain("Saving again amends it");
    expect(json(again)).not.toContain("Save as a draft");
    const amended = await submit(champion, again, {
      rag: "green",
      summary: "Better than we thought.",
      successes: "We trained 40 officers",
      milestones: "31 Jan 2027 - Launch the pilot",
      progress1: "done",
      progress1Note: "Two of five teams done",
      progress2: "in_progress",
    });
    expect(amended.reply).toContain("is amended");
    const reports = await t.db.prisma.milestoneReport.findMany();
    expect(reports).toHaveLength(1);
    const lead = await t.db.prisma.member.findUniqueOrThrow({ where: { id: riverside[0]!.memberId } });
    expect(reports[0]).toMatchObject({ status: "submitted", rag: "green", summary: "Better than we thought.", leadName: lead.displayName, authorId: lead.id });
    const actions = await t.db.prisma.keyAction.findMany({ orderBy: { position: "asc" } });
    expect(actions.map((action) => action.status)).toEqual(["done", "in_progress"]);
  });

  it("nudges the champions of an unsubmitted report on Slack, and 'Not now' snoozes from the message", async () => {
    clock = new Date("2026-11-27T10:00:00Z");
    const run = await t.app.scheduler.runSlot("reports-nudges", clock);
    expect(run).toMatchObject({ ran: true, outcome: "queued 2 nudges for 1 open reports" });
    const nudge = await t.slack.waitFor("chat.postMessage", { where: (call) => call.body.channel === hillside[0]!.userId });
    expect(json(nudge.body)).toContain("Hillside School's milestone report for November to December 2026 is due on 4 Dec 2026");
    const labels = slackButtons(nudge.body.blocks).map((button) => button.text.text);
    expect(labels).toEqual(["Fill in now", "Not now", "Someone else is doing this", "Stop these"]);
    expect(riverside.map((member) => t.slack.postCount(member.userId))).toEqual([0, 0]);

    const hillsideChampion = slackUser(t, { id: hillside[0]!.userId, name: "Jo Teacher" });
    const notNow = slackButtons(nudge.body.blocks).find((button) => button.text.text === "Not now")!;
    const { status, since } = await hillsideChampion.press(notNow);
    expect(status).toBe(200);
    expect(json((await t.slack.waitFor("response_url", { since })).body)).toContain("I won't remind you about Hillside School's report before 4 Dec 2026");
    const state = await t.db.prisma.reportNudgeState.findFirstOrThrow({ where: { memberId: hillside[0]!.memberId } });
    expect(state.snoozedUntil?.toISOString()).toBe("2026-12-04T00:00:00.000Z");
  });

  it("shows the coordinator each organisation's state and RAG, and exports every field as CSV", async () => {
    const view = await say(coordinator, "reports");
    expect(view).toContain("Riverside Housing: submitted; RAG Green, before none");
    expect(view).toContain("Hillside School: not started yet; RAG not given, before none");

    const exported = await say(coordinator, "reports export");
    const link = /<(http[^|>]+)\|/.exec(exported)?.[1]?.replace(/&amp;/g, "&");
    expect(link).toBeDefined();
    const csv = await fetch(link!.replace("localhost", "127.0.0.1"));
    expect(csv.status).toBe(200);
    const body = await csv.text();
    const [header, ...rows] = body.trim().split("\n");
    expect(header).toBe(reportExportColumns.join(","));
    expect(header).toContain("rag_previous,rag,summary,successes,challenges_resources,challenges_budget,challenges_timescales,upcoming_milestones");
    const lead = await t.db.prisma.member.findUniqueOrThrow({ where: { id: riverside[0]!.memberId } });
    expect(body).toContain(`Riverside Housing,Housing,Kirklees,submitted,${lead.displayName},2026-11-23T10:00:00.000Z`);
    expect(body).toContain("green,Better than we thought.,We trained 40 officers");
    expect(body).toContain("2027-01-31 - Launch the pilot");
    expect(body).toContain("Trauma-informed training for every housing officer,Done,Two of five teams done");
    expect(body).toContain("Hillside School,Education,,due");
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const audit = await t.db.prisma.auditEntry.findFirst({ where: { action: "reports.export" } });
    expect(audit?.subject).toMatch(/^cycle #\d+$/);
  });
});
