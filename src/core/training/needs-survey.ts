import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import { buttons, heading, message, note, text, type Message } from "../kernel/view.js";
import { pulseSettings } from "../pulses/settings.js";

export const barriers = ["time", "cover", "cost", "other"] as const;
export type Barrier = (typeof barriers)[number];

export const barrierLabels: Record<Barrier, string> = {
  time: "Time to take part",
  cover: "Cover for my work while I'm away",
  cost: "Cost",
  other: "Something else",
};

/** Topics every survey offers beside the network's own principles. */
export const standingTopics = [
  "Trauma and the brain",
  "Staff wellbeing and secondary trauma",
  "Supervision and reflective practice",
  "Leading trauma-informed change",
] as const;

/** How long a survey may stay open, in days, as the form offers it. */
export const openDayChoices = [7, 14, 28] as const;

export interface NeedsSurvey {
  id: string;
  number: number;
  topics: string[];
  openDays: number;
  audience: unknown;
  sentAt: Date | null;
  closesAt: Date | null;
  closedAt: Date | null;
  askedCount: number;
}

const surveySelect = { id: true, number: true, topics: true, openDays: true, audience: true, sentAt: true, closesAt: true, closedAt: true, askedCount: true } as const;

/** What delivery rows are keyed by: one survey reaches an address once. */
export const needsPurpose = (number: number) => `learning-needs:${number}`;

export async function findNeedsSurvey(ctx: CoreContext, number: number): Promise<NeedsSurvey | null> {
  if (!Number.isInteger(number) || number < 1 || number > 999_999_999) return null;
  return ctx.prisma.learningNeedsSurvey.findFirst({ where: { networkId: ctx.networkId, number }, select: surveySelect });
}

/** The newest survey that has been sent, if any. */
export async function latestSentSurvey(ctx: CoreContext): Promise<NeedsSurvey | null> {
  return ctx.prisma.learningNeedsSurvey.findFirst({ where: { networkId: ctx.networkId, sentAt: { not: null } }, orderBy: { number: "desc" }, select: surveySelect });
}

export function isOpen(ctx: CoreContext, survey: NeedsSurvey): boolean {
  return survey.sentAt !== null && survey.closedAt === null && survey.closesAt !== null && survey.closesAt.getTime() > ctx.now().getTime();
}

/** Results are shown only for groups of at least this many answers (TI_MIN_GROUP, as pulses use it). */
export const minimumGroup = (ctx: CoreContext) => pulseSettings(ctx).minimumGroup;

/** `Tuesday 22 December`, in the network's time zone. */
export function dayOf(ctx: CoreContext, at: Date): string {
  return DateTime.fromJSDate(at, { zone: ctx.timeZone }).toFormat("cccc d LLLL");
}

/** What makes the survey safe to answer, said wherever it is asked. */
export function needsAnonymityNote(ctx: CoreContext): string {
  return (
    "Anonymous: your answers are stored without your name or anything that links them to you. " +
    `Coordinators see counts only, and only for groups of ${minimumGroup(ctx)} or more people.`
  );
}

/** The survey as it is sent: an invitation, with a way to answer, to leave it, or to stop these. */
export function needsSurveyMessage(ctx: CoreContext, survey: NeedsSurvey): Message {
  const number = String(survey.number);
  const until = survey.closesAt ? ` Open until ${dayOf(ctx, survey.closesAt)}.` : "";
  return message(
    `${ctx.networkName}: what training would help you next?`,
    heading("What training would help you next?"),
    text(
      `${ctx.networkName} is planning its training. Three quick, optional questions: which levels and topics you'd like next, and what gets in the way. It takes about a minute.`,
    ),
    buttons({ label: "Answer", verb: "needs", text: number, style: "primary" }, { label: "Not now", verb: "needs later", text: number }, { label: "Stop these", verb: "needs stop" }),
    note(`${needsAnonymityNote(ctx)} Optional: answer only if you'd like to.${until}`),
  );
}
