import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import type { Sheet, SheetCell, Workbook } from "../kernel/feature.js";
import { sectorLabels, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";
import { pulseSettings } from "../pulses/settings.js";
import { keyActionStatusLabels } from "../reports/report-labels.js";
import { announcementsSheet } from "./workbook-announcements.js";
import { pulseResultsSheet } from "./workbook-pulses.js";
import { reportsSheet } from "./workbook-reports.js";
import { learningNeedsSheet, trainingCompletedSheet, trainingSheet } from "./workbook-training.js";
import { updatesSheet } from "./workbook-updates.js";
import { later } from "./sheet-rows.js";

/** Rows read a page at a time, for tables that grow with the network. */
const page = 1_000;

/**
 * The figures behind the board pack as a workbook, one table a sheet: members by organisation, the
 * period's updates, reports with every RAG field, key actions, events with answers, pulse results, and
 * training (by organisation against targets, completed in the period, learning needs), and announcements.
 * Each sheet's rows are read from the database as the file is written.
 */
export function insightsWorkbook(ctx: CoreContext, period: Period): Workbook {
  return {
    timeZone: ctx.timeZone,
    sheets: [
      aboutSheet(ctx, period),
      membersSheet(ctx, period),
      updatesSheet(ctx, period),
      reportsSheet(ctx, period),
      keyActionsSheet(ctx),
      eventsSheet(ctx, period),
      pulseResultsSheet(ctx, period),
      trainingSheet(ctx, period),
      trainingCompletedSheet(ctx, period),
      learningNeedsSheet(ctx, period),
      announcementsSheet(ctx, period),
    ],
  };
}

function aboutSheet(ctx: CoreContext, period: Period): Sheet {
  const minimum = pulseSettings(ctx).minimumGroup;
  const made = DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone }).toFormat("d LLLL yyyy 'at' HH:mm");
  const about: [string, string][] = [
    ["Network", ctx.networkName],
    ["Period", `${period.label}, in the ${ctx.timeZone} time zone`],
    ["Made", made],
    ["Members by organisation", "Everyone in the network at the end of the period, by organisation, role and training level."],
    ["Updates", "Updates shared with the network in the period. Updates their author kept on their own profile are left out; an author who has left shows as a champion from their organisation."],
    ["Reports", "Every organisation's report in each reporting cycle open during the period. What a report says is shown once it is submitted; drafts show their status only."],
    ["Key actions", "Each organisation's pledge key actions as they stand now."],
    ["Events", "Network events held in the period, with how invitees answered."],
    ["Pulse results", `Averages for groups of ${minimum} or more answers only, and no group that could be worked out from the others. No comments, no names.`],
    ["Training by organisation", "Members at each training level at the end of the period, as their profiles say; each organisation's target and how many are at or above its level; training completed in the period. Counts only."],
    ["Training completed", "Training records completed in the period, by the course's level and format; training outside the network's offer on its own row. Counts only."],
    ["Learning needs", `How many chose each answer in the learning-needs surveys open during the period, for groups of ${minimum} or more answers only, and no group that could be worked out from the others. Answers are anonymous.`],
    ["Announcements", `Broadcasts sent in the period: how many people each reached, and for those that asked for an acknowledgement or had links, how many acknowledged and how many clicked one. Counts only, for broadcasts that reached ${minimum} or more people; never who.`],
    ["Check-ins", "Private to each member: none are in this workbook."],
    ["RAG", "Each organisation's own picture of where it is, never a grade."],
  ];
  return { name: "About", columns: [{ header: "About", width: 26 }, { header: "What it holds", width: 110 }], rows: later(async () => about) };
}

const levelHeaders = [...trainingLevels.map((level) => trainingLevelLabels[level]), "Training not set"];

function membersSheet(ctx: CoreContext, period: Period): Sheet {
  return {
    name: "Members by organisation",
    columns: [
      { header: "Organisation", width: 36 },
      { header: "Sector", width: 24 },
      { header: "Locality", width: 20 },
      ...["Members", "Champions", "Coordinators", ...levelHeaders].map((header) => ({ header, type: "number" as const, width: Math.max(10, header.length + 2) })),
    ],
    rows: later(async () => {
      const [groups, organisations] = await Promise.all([
        ctx.prisma.member.groupBy({ by: ["organisationId", "role", "trainingLevel"], where: { networkId: ctx.networkId, leftAt: null, joinedAt: { lt: period.to } }, _count: { _all: true } }),
        ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: { id: true, name: true, sector: true, locality: true, createdAt: true } }),
      ]);
      const counts = (organisationId: string | null) => {
        const mine = groups.filter((group) => group.organisationId === organisationId);
        const total = (keep: (group: (typeof mine)[number]) => boolean) => mine.filter(keep).reduce((sum, group) => sum + group._count._all, 0);
        return [
          total(() => true),
          total((group) => group.role === "champion"),
          total((group) => group.role === "coordinator"),
          ...trainingLevels.map((level) => total((group) => group.trainingLevel === level)),
          total((group) => group.trainingLevel === null),
        ];
      };
      const rows: SheetCell[][] = organisations
        .map((organisation) => ({ organisation, counts: counts(organisation.id) }))
        .filter(({ organisation, counts }) => organisation.createdAt < period.to || counts[0]! > 0)
        .map(({ organisation, counts }) => [organisation.name, sectorLabels[organisation.sector], organisation.locality, ...counts]);
      const unattached = counts(null);
      if (unattached[0]! > 0) rows.push(["No organisation", null, null, ...unattached]);
      return rows;
    }),
  };
}

function keyActionsSheet(ctx: CoreContext): Sheet {
  async function* rows(): AsyncGenerator<SheetCell[]> {
    for (let skip = 0; ; skip += page) {
      const actions = await ctx.prisma.keyAction.findMany({
        where: { organisation: { networkId: ctx.networkId } },
        orderBy: [{ organisation: { name: "asc" } }, { position: "asc" }, { id: "asc" }],
        skip,
        take: page,
        select: { text: true, targetDate: true, status: true, organisation: { select: { name: true } } },
      });
      for (const action of actions) yield [action.organisation.name, action.text, action.targetDate, keyActionStatusLabels[action.status]];
      if (actions.length < page) return;
    }
  }
  return {
    name: "Key actions",
    columns: [{ header: "Organisation", width: 36 }, { header: "Key action", width: 70 }, { header: "Target date", type: "day", width: 14 }, { header: "Status", width: 18 }],
    rows: rows(),
  };
}

function eventsSheet(ctx: CoreContext, period: Period): Sheet {
  return {
    name: "Events",
    columns: [
      { header: "Event", type: "number", width: 8 },
      { header: "Title", width: 40 },
      { header: "Starts", type: "time", width: 18 },
      ...["Invited", "Going", "Maybe", "Can't go", "No answer"].map((header) => ({ header, type: "number" as const, width: 11 })),
    ],
    rows: later(async () => {
      const events = await ctx.prisma.networkEvent.findMany({
        where: { networkId: ctx.networkId, status: "scheduled", startsAt: { gte: period.from, lt: period.to }, invitedAt: { not: null } },
        orderBy: { startsAt: "asc" },
        select: { id: true, number: true, title: true, startsAt: true },
      });
      const answers = await ctx.prisma.eventInvitation.groupBy({ by: ["eventId", "answer"], where: { eventId: { in: events.map((event) => event.id) } }, _count: { _all: true } });
      const tally = (eventId: string, answer?: "going" | "maybe" | "declined" | null) =>
        answers.filter((row) => row.eventId === eventId && (answer === undefined || row.answer === answer)).reduce((sum, row) => sum + row._count._all, 0);
      return events.map((event) => [event.number, event.title, event.startsAt, tally(event.id), tally(event.id, "going"), tally(event.id, "maybe"), tally(event.id, "declined"), tally(event.id, null)]);
    }),
  };
}
