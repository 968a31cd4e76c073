import { z } from "zod";
import { recordAudit } from "../kernel/audit.js";
import type { Request } from "../kernel/context.js";
import { dateAnswer, fieldErrors, many, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { choicesOf } from "../kernel/labels.js";
import { message, note, text, type Form, type View } from "../kernel/view.js";
import { addDays, addMonths, describeDay, today } from "./days.js";
import { openCycle } from "./open-cycle.js";
import { cadenceLabels, cadences } from "./report-labels.js";

const cycleSchema = z.object({
  cadence: z.enum(cadences, { error: "Please choose how often from the list." }),
  label: z.string().trim().max(80, "Please keep the name to 80 characters or fewer.").optional(),
});

/** `cycle`: the form for the reporting cycle. */
export async function cycleForm({ ctx }: Request): Promise<Form> {
  const organisations = await ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  return {
    type: "form",
    verb: "cycle",
    title: "Reporting cycle",
    submitLabel: "Open the cycle",
    intro: [
      text("Open a reporting cycle: each organisation it covers gets a milestone report to file by the due day. Its champions get a short reminder a week before, on the day and a week after, within sending hours, and can snooze or stop them."),
      note("Name and organisations are optional. A repeating cycle opens the next one by itself. Opening a cycle is recorded in the audit trail."),
    ],
    inputs: [
      { type: "date", id: "dueOn", label: "Reports due on", min: addDays(today(ctx), 1), value: addMonths(today(ctx), 3) },
      { type: "select", id: "cadence", label: "How often", options: choicesOf(cadenceLabels), value: "3" },
      { type: "text", id: "label", label: "Name", optional: true, maxLength: 80, placeholder: "e.g. January to March 2027", hint: "Left empty, it's named after the months it covers." },
      ...(organisations.length > 0
        ? [{ type: "multiselect" as const, id: "organisations", label: "Only these organisations", optional: true, hint: "Leave empty for every organisation.", options: organisations.map((organisation) => ({ value: organisation.id, label: organisation.name })), values: [] }]
        : []),
    ],
    context: {},
  };
}

/** The cycle form came back: open the cycle and its report requests. */
export async function submitCycle(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  const values = interaction.form?.values ?? {};
  const form = await cycleForm(request);
  const parsed = cycleSchema.safeParse({ cadence: single(values, "cadence") ?? "3", label: single(values, "label") });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const dueOn = dateAnswer(values, "dueOn", errors, {
    min: addDays(today(ctx), 1),
    say: { missing: "Please choose the day reports are due.", early: "That day has passed. Please choose a day still to come." },
  });
  const organisationIds = many(values, "organisations");
  const offered = optionValues(form, "organisations");
  if (organisationIds.some((id) => !offered.has(id))) errors.organisations = "Please choose from the list.";
  if (offered.size === 0) errors.organisations = "There are no organisations yet. Add them with org add first.";
  if (!parsed.success || !dueOn || Object.keys(errors).length > 0) return withSubmission(form, values, errors);

  const cadenceMonths = Number(parsed.data.cadence) || null;
  const opened = await openCycle(ctx, { opensOn: today(ctx), dueOn, cadenceMonths, organisationIds, createdById: requester.member?.id ?? null, label: parsed.data.label });
  if (!opened) return withSubmission(form, values, { dueOn: "There's already a cycle due that day. See it with reports." });
  await recordAudit(request, {
    action: "cycle.set",
    subject: `cycle #${opened.number}`,
    detail: `${opened.label}, due ${describeDay(dueOn)}, ${cadenceLabels[parsed.data.cadence].toLowerCase()}, ${opened.requests} organisation${opened.requests === 1 ? "" : "s"}`,
  });
  const reply = `Cycle #${opened.number} (${opened.label}) is open: ${opened.requests} organisation${opened.requests === 1 ? "" : "s"}, reports due ${describeDay(dueOn)}. Champions will get gentle reminders from a week before. See how it's going with reports.`;
  return message(reply);
}
