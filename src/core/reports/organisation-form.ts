import { z } from "zod";
import { recordAudit } from "../kernel/audit.js";
import type { CoreContext, Request } from "../kernel/context.js";
import { dateAnswer, fieldErrors, many, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { choicesOf, sectorLabels, sectors } from "../kernel/labels.js";
import { message, note, text, type Form, type Input, type View } from "../kernel/view.js";
import { dateToDay, dayToDate, describeDay, today } from "./days.js";
import { keyActionInputs, readKeyActions, saveKeyActions, type KeyActionRow } from "./key-actions.js";
import { joinOpenCycle } from "./open-cycle.js";

const organisationSchema = z.object({
  name: z.string({ error: "Please write the organisation's name." }).trim().min(1, "Please write the organisation's name.").max(120, "Please keep the name to 120 characters or fewer."),
  sector: z.enum(sectors, { error: "Please choose the sector from the list." }),
  locality: z.string().trim().max(80, "Please keep the locality to 80 characters or fewer.").optional(),
});

interface OrganisationRow {
  id: string;
  name: string;
  sector: (typeof sectors)[number];
  locality: string | null;
  pledgeSignedOn: Date | null;
  keyActions: KeyActionRow[];
  members: { id: string; displayName: string; role: "member" | "champion" | "coordinator" }[];
}

/** `org add`, or `org edit` with the organisation's values. */
export function organisationForm(ctx: Pick<CoreContext, "now" | "timeZone">, organisation?: OrganisationRow): Form {
  const inputs: Input[] = [
    { type: "text", id: "name", label: "Name", maxLength: 120, value: organisation?.name ?? "" },
    { type: "select", id: "sector", label: "Sector", options: choicesOf(sectorLabels), value: organisation?.sector },
    { type: "text", id: "locality", label: "Locality", optional: true, maxLength: 80, value: organisation?.locality ?? "", placeholder: "e.g. Kirklees" },
    {
      type: "date",
      id: "pledgeSignedOn",
      label: "Date the charter or pledge was signed",
      optional: true,
      max: today(ctx),
      ...(organisation?.pledgeSignedOn ? { value: dateToDay(organisation.pledgeSignedOn) } : {}),
    },
    ...keyActionInputs(organisation?.keyActions ?? []),
  ];
  const people = organisation?.members.filter((member) => member.role !== "coordinator") ?? [];
  if (people.length > 0) {
    inputs.push({
      type: "multiselect",
      id: "champions",
      label: "Nominated champions",
      optional: true,
      hint: "People who joined with this organisation. Champions file its reports; the others stay members.",
      options: people.map((member) => ({ value: member.id, label: member.displayName })),
      values: people.filter((member) => member.role === "champion").map((member) => member.id),
    });
  }
  return {
    type: "form",
    verb: "organisation",
    title: organisation ? "Edit organisation" : "Add an organisation",
    submitLabel: "Save",
    intro: [
      text(organisation ? `Edit ${organisation.name}: its details, pledge and key actions.` : "Add an organisation that signed the charter or pledge, with its two key actions for the next 12 months."),
      note("Locality, pledge date and key actions are optional. Everyone in the network can see an organisation's name, sector and locality; key actions and reports are seen by coordinators and its champions. People join an organisation themselves with join."),
    ],
    inputs,
    context: organisation ? { organisation: organisation.id } : {},
  };
}

async function loadOrganisation(ctx: CoreContext, id: string): Promise<OrganisationRow | null> {
  return ctx.prisma.organisation.findFirst({
    where: { id, networkId: ctx.networkId },
    select: {
      id: true,
      name: true,
      sector: true,
      locality: true,
      pledgeSignedOn: true,
      keyActions: { orderBy: { position: "asc" } },
      members: { where: { leftAt: null }, orderBy: { displayName: "asc" }, take: 100, select: { id: true, displayName: true, role: true } },
    },
  });
}

/** An organisation named by id, by its exact name, or by the only name containing what was typed. */
export async function findOrganisation(ctx: CoreContext, typed: string): Promise<{ id: string; name: string } | null> {
  const query = typed.trim();
  if (!query) return null;
  const exact = await ctx.prisma.organisation.findFirst({
    where: { networkId: ctx.networkId, OR: [{ id: query }, { name: { equals: query, mode: "insensitive" } }] },
    select: { id: true, name: true },
  });
  if (exact) return exact;
  const partial = await ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId, name: { contains: query, mode: "insensitive" } }, take: 2, select: { id: true, name: true } });
  return partial.length === 1 ? partial[0]! : null;
}

async function nameTaken(ctx: CoreContext, name: string, exceptId: string | undefined): Promise<boolean> {
  const clash = await ctx.prisma.organisation.findFirst({ where: { networkId: ctx.networkId, name: { equals: name, mode: "insensitive" }, NOT: { id: exceptId ?? "" } }, select: { id: true } });
  return clash !== null;
}

/** `org edit <name>`: the form with the organisation's values. */
export async function editOrganisation(request: Request): Promise<View> {
  const found = await findOrganisation(request.ctx, request.interaction.text);
  if (!found) {
    const reply = request.interaction.text.trim()
      ? `I couldn't find one organisation called "${request.interaction.text.trim().slice(0, 80)}". The list is under orgs.`
      : "Which organisation? For example: org edit Riverside Housing. The list is under orgs.";
    return message(reply);
  }
  return organisationForm(request.ctx, (await loadOrganisation(request.ctx, found.id))!);
}

/** The organisation form came back: add it, or save the edit, then record it in the audit trail. */
export async function submitOrganisation(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const values = interaction.form?.values ?? {};
  const editingId = interaction.form?.context.organisation;
  const existing = editingId ? await loadOrganisation(ctx, editingId) : null;
  if (editingId && !existing) return message("That organisation is no longer in the network.", text("That organisation is no longer in the network. Nothing was changed."));
  const form = organisationForm(ctx, existing ?? undefined);
  const raw = { name: single(values, "name"), sector: single(values, "sector"), locality: single(values, "locality") };
  const parsed = organisationSchema.safeParse(raw);
  const keyActions = readKeyActions(values);
  const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...keyActions.errors };
  const pledge = dateAnswer(values, "pledgeSignedOn", errors, { optional: true, max: today(ctx), say: { late: "That date is still to come. Please give the date it was signed." } });
  const champions = many(values, "champions");
  const offered = optionValues(form, "champions");
  if (champions.some((id) => !offered.has(id))) errors.champions = "Please choose from the list.";
  if (raw.name && !errors.name && (await nameTaken(ctx, raw.name.trim(), editingId))) {
    errors.name = "There's already an organisation with that name. Use org edit to change it.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);

  const details = { name: parsed.data.name, sector: parsed.data.sector, locality: parsed.data.locality || null, pledgeSignedOn: pledge ? dayToDate(pledge) : null };
  const saved = await ctx.prisma.$transaction(async (tx) => {
    const organisation = existing
      ? await tx.organisation.update({ where: { id: existing.id }, data: details })
      : await tx.organisation.create({ data: { ...details, networkId: ctx.networkId } });
    const cycle = existing ? null : await joinOpenCycle(tx, ctx, organisation.id);
    await saveKeyActions(tx, organisation.id, keyActions.answers);
    if (existing) {
      const people = existing.members.filter((member) => member.role !== "coordinator").map((member) => member.id);
      await tx.member.updateMany({ where: { id: { in: champions } }, data: { role: "champion" } });
      await tx.member.updateMany({ where: { id: { in: people.filter((id) => !champions.includes(id)) }, role: "champion" }, data: { role: "member" } });
    }
    return { ...organisation, cycle };
  });
  const count = keyActions.answers.filter((answer) => answer.text).length;
  await recordAudit(request, { action: existing ? "organisation.edit" : "organisation.add", subject: saved.name, detail: `${count} key action${count === 1 ? "" : "s"}` });
  const inCycle = saved.cycle ? ` It's part of the open reporting cycle (${saved.cycle.label}, due ${describeDay(saved.cycle.dueOn)}).` : "";
  const reply = existing ? `${saved.name} is updated.` : `${saved.name} is added. Its people can now choose it when they join.${inCycle}`;
  return message(reply);
}
