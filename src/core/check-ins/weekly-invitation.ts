import { DateTime } from "luxon";
import { z } from "zod";
import { Prisma } from "../../db/generated/client.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { fieldErrors, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { buttons, heading, message, note, text, type Form, type Message, type View } from "../kernel/view.js";
import { arrivingScale } from "./settings.js";

const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
/** Every half hour from 07:00 to 19:00: the invitation job runs on the half hour. */
const times = Array.from({ length: 25 }, (_, index) => `${String(7 + Math.floor(index / 2)).padStart(2, "0")}:${index % 2 ? "30" : "00"}`);
/** How late an invitation may go after its time, so a slot missed while the bot was down is made good. */
const lateBy = { hours: 2 };

const weeklySchema = z.object({
  weekday: z.coerce.number({ error: "Please choose a day." }).int().min(1, "Please choose a day.").max(7, "Please choose a day."),
  time: z.enum(times as [string, ...string[]], { error: "Please choose a time." }),
});

/** `checkin weekly`: choose a day and time for a weekly invitation; `checkin weekly off` stops it. */
export async function chooseWeeklyCheckIn({ ctx, requester, interaction }: Request): Promise<View> {
  const platform = requester.address.platform;
  if (!requester.member) return message(`Check-ins are for members of the network. Type ${command(platform, "join")} to join.`);
  if (/^(off|stop|no)$/i.test(interaction.text.trim())) {
    await ctx.prisma.member.update({ where: { id: requester.member.id }, data: { checkInWeekday: null, checkInTime: null } });
    return { ...message(`Done: no more weekly invitations. You can still check in any time with ${command(platform, "checkin")}.`), replacesOriginal: true };
  }
  const member = await ctx.prisma.member.findUniqueOrThrow({ where: { id: requester.member.id }, select: { checkInWeekday: true, checkInTime: true } });
  return weeklyForm(member.checkInWeekday, member.checkInTime);
}

function weeklyForm(weekday: number | null, time: string | null): Form {
  return {
    type: "form",
    verb: "checkin weekly",
    title: "Weekly check-in",
    submitLabel: "Save",
    intro: [
      text("Once a week, I'll invite you to check in. It's always optional, and every invitation has a way to stop them."),
      note("If the time you choose is outside the network's sending hours, the invitation waits for the start of the next ones."),
    ],
    inputs: [
      { type: "select", id: "weekday", label: "Day", options: weekdays.map((label, index) => ({ value: String(index + 1), label })), ...(weekday ? { value: String(weekday) } : {}) },
      { type: "select", id: "time", label: "Time", options: times.map((value) => ({ value, label: value })), value: time ?? "09:30" },
    ],
    context: {},
  };
}

export async function submitWeeklyCheckIn({ ctx, requester, interaction }: Request): Promise<View> {
  if (!requester.member) return message("Check-ins are for members of the network.");
  const values = interaction.form?.values ?? {};
  const form = weeklyForm(null, null);
  const parsed = weeklySchema.safeParse({ weekday: single(values, "weekday"), time: single(values, "time") });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  for (const id of ["weekday", "time"]) {
    const value = single(values, id);
    if (value !== undefined && !optionValues(form, id).has(value)) errors[id] = "Please choose from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  await ctx.prisma.member.update({ where: { id: requester.member.id }, data: { checkInWeekday: parsed.data.weekday, checkInTime: parsed.data.time } });
  const platform = requester.address.platform;
  return message(`Done: every ${weekdays[parsed.data.weekday - 1]} at ${parsed.data.time} I'll invite you to check in. To stop, type ${command(platform, "checkin weekly off")}.`);
}

/**
 * Queues the invitations due at `at`: members whose chosen day is today and whose time fell in the last
 * two hours, one a day each however often this runs, held to sending hours.
 */
export async function inviteToCheckIn(ctx: CoreContext, at: Date): Promise<number> {
  const local = DateTime.fromJSDate(at, { zone: ctx.timeZone });
  const until = local.toFormat("HH:mm");
  const from = local.minus(lateBy);
  const after = from.day === local.day ? from.toFormat("HH:mm") : "";
  return queueDeliveries(ctx, {
    purposeKey: `checkin-invite:${local.toISODate()}`,
    view: invitation(),
    recipients: Prisma.sql`
      SELECT DISTINCT ON (m."id") m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
      FROM "Member" m JOIN "Address" a ON a."memberId" = m."id" AND a."active"
      WHERE m."networkId" = ${ctx.networkId} AND m."leftAt" IS NULL AND m."checkInWeekday" = ${local.weekday}
        AND m."checkInTime" > ${after} AND m."checkInTime" <= ${until}
      ORDER BY m."id", a."lastSeenAt" DESC`,
    respectQuietHours: true,
  });
}

function invitation(): Message {
  return message(
    "Your weekly check-in: how are you arriving today?",
    heading("Your weekly check-in"),
    text("How are you arriving today? Choose one to add a reflection if you'd like, or leave it there."),
    buttons(...arrivingScale.map((label, index) => ({ label, verb: "checkin", text: String(index + 1) }))),
    buttons({ label: "Not now", verb: "checkin later" }, { label: "Stop these", verb: "checkin weekly", text: "off" }),
    note("Private: only you will ever see your check-ins."),
  );
}

