import { z } from "zod";
import { recordAudit } from "../kernel/audit.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { fieldErrors, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { choicesOf, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { message, note, text, type Form, type View } from "../kernel/view.js";
import type { TrainingLevel } from "./training-labels.js";

export const coverageMeasures = ["people", "percent"] as const;
export type CoverageMeasure = (typeof coverageMeasures)[number];
const removeTarget = "none";
export const targetScopeMax = 120;
const peopleMax = 100_000;

export interface CoverageTargetView {
  level: TrainingLevel;
  measure: CoverageMeasure;
  figure: number;
  scope: string | null;
}

const targetSchema = z.discriminatedUnion("measure", [
  z.object({ measure: z.literal(removeTarget) }),
  z.object({
    measure: z.enum(coverageMeasures),
    level: z.enum(trainingLevels, { error: "Please choose the level people should reach." }),
    figure: z
      .string({ error: "Please give the target as a whole number, like 20 or 80." })
      .trim()
      .regex(/^\d{1,6}$/, "Please give the target as a whole number, like 20 or 80.")
      .transform(Number),
    scope: z
      .string()
      .trim()
      .max(targetScopeMax, `Please keep this to ${targetScopeMax} characters or fewer.`)
      .optional()
      .transform((value) => value || null),
  }),
], { error: "Please choose what kind of target it is." });

/** `Informed or above for 80% of its members (all front-line staff)`. */
export function describeTarget(target: CoverageTargetView): string {
  const who = target.measure === "percent" ? `${target.figure}% of its members` : `${target.figure.toLocaleString("en-GB")} ${target.figure === 1 ? "person" : "people"}`;
  return `${trainingLevelLabels[target.level]} or above for ${who}${target.scope ? ` (${target.scope})` : ""}`;
}

/** How many members at or above the level the target asks for, out of the organisation's `members`. */
export function peopleNeeded(target: CoverageTargetView, members: number): number {
  return target.measure === "people" ? target.figure : Math.ceil((target.figure * members) / 100);
}

/** `training target [organisation]`: the target form, with the organisation chosen when it was named. */
export async function startCoverageTarget({ ctx, interaction }: Request): Promise<View> {
  const named = interaction.text.trim();
  const organisations = await ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  if (organisations.length === 0) return message("There are no organisations in the network yet, so there's nothing to set a target for.");
  const chosen = named ? organisations.find((organisation) => organisation.name.toLowerCase() === named.toLowerCase()) : undefined;
  const target = chosen ? await ctx.prisma.coverageTarget.findUnique({ where: { organisationId: chosen.id } }) : null;
  const form = await targetForm(ctx, chosen?.id, target ?? undefined);
  return named && !chosen ? { ...form, problem: `I couldn't find an organisation called "${named.slice(0, 60)}". Please choose it from the list.` } : form;
}

async function targetForm(ctx: CoreContext, organisationId?: string, target?: CoverageTargetView): Promise<Form> {
  const organisations = await ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  return {
    type: "form",
    verb: "training target",
    title: "Training target",
    submitLabel: "Save the target",
    intro: [
      text("Set what an organisation is aiming for: members at or above a training level, as a number of people or a percentage of its members in the network."),
      note("The training map shows each target beside where the organisation is now, counted from members' profiles. Staff who haven't joined the network aren't counted. One target per organisation: a new one replaces the old."),
    ],
    inputs: [
      { type: "select", id: "organisation", label: "Organisation", options: organisations.map((organisation) => ({ value: organisation.id, label: organisation.name })), ...(organisationId ? { value: organisationId } : {}) },
      {
        type: "select",
        id: "measure",
        label: "Target",
        options: [
          { value: "percent", label: "A percentage of its members" },
          { value: "people", label: "A number of people" },
          { value: removeTarget, label: "No target (remove it)" },
        ],
        value: target?.measure ?? "percent",
      },
      { type: "text", id: "figure", label: "How many", optional: true, maxLength: 6, value: target ? String(target.figure) : "", placeholder: "e.g. 80", hint: "A percentage (1 to 100) or a number of people." },
      { type: "select", id: "level", label: "At or above this level", optional: true, options: choicesOf(trainingLevelLabels), value: target?.level ?? "informed" },
      { type: "text", id: "scope", label: "Who it's for", optional: true, maxLength: targetScopeMax, value: target?.scope ?? "", placeholder: "e.g. all front-line staff", hint: "Optional, in your words." },
    ],
    context: {},
  };
}

/** The target form came back: the organisation's target is set, replaced or removed. */
export async function submitCoverageTarget(request: Request): Promise<View> {
  const { ctx, interaction, requester } = request;
  const values = interaction.form?.values ?? {};
  const organisationId = single(values, "organisation");
  const form = await targetForm(ctx, organisationId);
  const parsed = targetSchema.safeParse({ measure: single(values, "measure"), level: single(values, "level"), figure: single(values, "figure"), scope: single(values, "scope") });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  for (const id of ["organisation", "measure", "level"]) {
    const value = single(values, id);
    if (value !== undefined && !optionValues(form, id).has(value)) errors[id] = "Please choose from the list.";
  }
  if (!organisationId) errors.organisation = "Please choose the organisation.";
  if (parsed.success && parsed.data.measure !== removeTarget) {
    const { measure, figure } = parsed.data;
    if (figure < 1) errors.figure = "Please give a target of 1 or more.";
    else if (measure === "percent" && figure > 100) errors.figure = "A percentage goes up to 100.";
    else if (measure === "people" && figure > peopleMax) errors.figure = `Please give a number up to ${peopleMax.toLocaleString("en-GB")}.`;
  }
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  const organisation = (await ctx.prisma.organisation.findFirst({ where: { id: organisationId!, networkId: ctx.networkId }, select: { id: true, name: true } }))!;
  const platform = requester.address.platform;
  if (parsed.data.measure === removeTarget) {
    const removed = await ctx.prisma.coverageTarget.deleteMany({ where: { organisationId: organisation.id } });
    if (removed.count > 0) await recordAudit(request, { action: "training.target.remove", subject: organisation.name });
    return message(removed.count > 0 ? `${organisation.name} has no training target now.` : `${organisation.name} had no training target, so nothing was changed.`);
  }
  const target: CoverageTargetView = { level: parsed.data.level, measure: parsed.data.measure, figure: parsed.data.figure, scope: parsed.data.scope };
  await ctx.prisma.coverageTarget.upsert({ where: { organisationId: organisation.id }, create: { organisationId: organisation.id, ...target, setAt: ctx.now() }, update: { ...target, setAt: ctx.now() } });
  await recordAudit(request, { action: "training.target.set", subject: organisation.name, detail: describeTarget(target) });
  const reply = `${organisation.name}'s training target: ${describeTarget(target)}.`;
  return message(reply, text(reply), note(`${command(platform, "training map")} shows it beside where ${organisation.name} is now.`));
}
