import { DateTime } from "luxon";
import { z } from "zod";
import type { Request } from "../kernel/context.js";
import { oneAddress, queueDeliveries } from "../kernel/outbox.js";
import { buttons, message, note, text, type Message } from "../kernel/view.js";
import { describeDay } from "./days.js";
import { findRequestFor, namedRequestProblem, type OpenRequest } from "./find-request.js";
import { coordinatorRecipients, holdNudges } from "./report-recipients.js";

const idsSchema = z.tuple([z.string().uuid(), z.string().uuid().optional()]);

/** An answer that takes the nudge's place when the platform can replace it. */
function answer(reply: string, ...more: ReturnType<typeof note>[]): Message {
  return { ...message(reply, text(reply), ...more), replacesOriginal: true };
}

/** The request a nudge's button named, and the member it may name, checked. */
async function pressed(request: Request): Promise<{ open: OpenRequest; memberId: string; otherId?: string } | { problem: Message }> {
  const ids = idsSchema.safeParse(request.interaction.text.trim().split(/\s+/));
  if (!ids.success) return { problem: message("That button is out of date", text("Sorry, that button is out of date. Type report to see your organisation's report.")) };
  const found = await findRequestFor(request);
  if ("problem" in found) return { problem: message(found.problem, text(found.problem)) };
  const mismatch = await namedRequestProblem(request.ctx, ids.data[0], found.request, "reminder");
  if (mismatch) return { problem: answer(mismatch) };
  return { open: found.request, memberId: request.requester.member!.id, otherId: ids.data[1] };
}

/** Not now: no nudges to me about this report for a week. */
export async function snoozeNudges(request: Request): Promise<Message> {
  const found = await pressed(request);
  if ("problem" in found) return found.problem;
  const { ctx } = request;
  // From the start of the day a week on, so the run that day includes them again.
  const until = DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone }).plus({ days: 7 }).startOf("day").toJSDate();
  await ctx.prisma.reportNudgeState.upsert({
    where: { requestId_memberId: { requestId: found.open.id, memberId: found.memberId } },
    create: { requestId: found.open.id, memberId: found.memberId, snoozedUntil: until },
    update: { snoozedUntil: until },
  });
  await holdNudges(ctx, found.open.id, "snoozed", [found.memberId]);
  return answer(`No problem. I won't remind you about ${found.open.organisation.name}'s report before ${describeDay(DateTime.fromJSDate(until, { zone: ctx.timeZone }).toISODate()!)}.`, note("You can fill it in whenever suits you with report."));
}

/** Stop these: no more nudges to me about this report this cycle; coordinators hear of it, kindly. */
export async function stopNudges(request: Request): Promise<Message> {
  const found = await pressed(request);
  if ("problem" in found) return found.problem;
  const { ctx, requester } = request;
  const { open, memberId } = found;
  await ctx.prisma.reportNudgeState.upsert({
    where: { requestId_memberId: { requestId: open.id, memberId } },
    create: { requestId: open.id, memberId, stoppedAt: ctx.now() },
    update: { stoppedAt: ctx.now() },
  });
  await holdNudges(ctx, open.id, "stopped", [memberId]);
  const name = requester.member!.displayName;
  await queueDeliveries(ctx, {
    purposeKey: `report:${open.id}:stopped:${memberId}`,
    view: message(
      `Reminders paused for ${open.organisation.name}'s report`,
      text(`${name} has paused reminders about ${open.organisation.name}'s milestone report for ${open.cycle.label}. Nothing is needed from you; if it's still open after ${describeDay(open.cycle.dueOn)} it will be in your weekly overdue list.`),
      note("People stop reminders for all sorts of reasons. If you'd like to help, a friendly word usually works better than another reminder."),
    ),
    recipients: coordinatorRecipients(ctx),
    respectQuietHours: true,
  });
  return answer(`Done: no more reminders to you about ${open.organisation.name}'s report this cycle.`, note("You can still fill it in any time with report. A coordinator will know the reminders are paused, nothing more."));
}

/** Someone else is doing this: choose who, from the organisation's other champions. */
export async function offerHandover(request: Request): Promise<Message> {
  const found = await pressed(request);
  if ("problem" in found) return found.problem;
  const others = await request.ctx.prisma.member.findMany({
    where: { organisationId: found.open.organisationId, role: "champion", leftAt: null, id: { not: found.memberId } },
    orderBy: { displayName: "asc" },
    take: 10,
    select: { id: true, displayName: true },
  });
  if (others.length === 0) {
    return message(
      "No other champions yet",
      text(`You're the only champion of ${found.open.organisation.name} I know of. A coordinator can add others (org edit), or you can stop these reminders for this cycle.`),
      buttons({ label: "Stop these", verb: "report stop", text: found.open.id }),
    );
  }
  return message(
    "Who's doing the report?",
    text(`Who is filling in ${found.open.organisation.name}'s report? I'll send the reminders to them instead of you.`),
    buttons(...others.map((other) => ({ label: other.displayName.slice(0, 60), verb: "report handto", text: `${found.open.id} ${other.id}` }))),
  );
}

/** Hands the report to another champion: they get the reminders from now on, and a short note now. */
export async function handOver(request: Request): Promise<Message> {
  const found = await pressed(request);
  if ("problem" in found) return found.problem;
  const { ctx, requester } = request;
  const { open, otherId } = found;
  const other = otherId
    ? await ctx.prisma.member.findFirst({ where: { id: otherId, organisationId: open.organisationId, role: "champion", leftAt: null }, select: { id: true, displayName: true } })
    : null;
  if (!other) return message("That champion isn't available", text(`I couldn't find that champion of ${open.organisation.name} any more. Please choose again.`));
  await ctx.prisma.reportRequest.update({ where: { id: open.id }, data: { assigneeId: other.id } });
  const others = await ctx.prisma.member.findMany({ where: { organisationId: open.organisationId, id: { not: other.id } }, select: { id: true } });
  await holdNudges(ctx, open.id, `handed to another champion`, others.map((member) => member.id));
  const address = await ctx.prisma.address.findFirst({ where: { memberId: other.id, active: true }, orderBy: { lastSeenAt: "desc" }, select: { id: true } });
  if (address) {
    await queueDeliveries(ctx, {
      purposeKey: `report:${open.id}:handover:${other.id}`,
      view: message(
        `${open.organisation.name}'s milestone report`,
        text(`${requester.member!.displayName} mentioned you're doing ${open.organisation.name}'s milestone report for ${open.cycle.label}, due ${describeDay(open.cycle.dueOn)}. Thank you. I'll send any reminders to you.`),
        buttons({ label: "Open the report", verb: "report", text: open.id }),
      ),
      recipients: oneAddress({ addressId: address.id, memberId: other.id }),
      respectQuietHours: true,
    });
  }
  return answer(`Thanks. I'll send reminders about ${open.organisation.name}'s report to ${other.displayName} instead of you.`);
}
