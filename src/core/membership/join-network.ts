import { z } from "zod";
import { command, isBootstrapCoordinator, type Request } from "../kernel/context.js";
import { fieldErrors, optionValues, single, withSubmission } from "../kernel/form-values.js";
import {
  choicesOf,
  roleLabels,
  sectorLabels,
  sectors,
  trainingLevelLabels,
  trainingLevels,
} from "../kernel/labels.js";
import { saveUpdate, savedUpdateBlocks, updateTextLimit } from "../updates/save-update.js";
import { buttons, heading, message, note, text, type Form, type Input, type View } from "../kernel/view.js";

const chooseFromList = "Please choose one of the options.";

const joinSchema = z.object({
  displayName: z
    .string({ error: "Please tell us the name to show." })
    .trim()
    .min(1, "Please tell us the name to show.")
    .max(80, "Please keep your name to 80 characters or fewer."),
  organisation: z.string().optional(),
  newOrganisation: z.string().trim().max(120, "Please keep the organisation's name to 120 characters or fewer.").optional(),
  sector: z.enum(sectors, { error: chooseFromList }).optional(),
  locality: z.string().trim().max(80, "Please keep the locality to 80 characters or fewer.").optional(),
  role: z.enum(["member", "champion"], { error: chooseFromList }).optional(),
  trainingLevel: z.enum(trainingLevels, { error: chooseFromList }).optional(),
});

/** Checks between fields, made on what was typed so every problem shows at once, not one per submit. */
function organisationProblems(form: Form, raw: Record<string, string | undefined>) {
  const hasList = form.inputs.some((field) => field.id === "organisation");
  const problems: Record<string, string> = {};
  if (raw.organisation && raw.newOrganisation) {
    problems.newOrganisation = "Choose your organisation from the list or add a new one, not both.";
  } else if (!raw.organisation && !raw.newOrganisation) {
    problems[hasList ? "organisation" : "newOrganisation"] = hasList
      ? "Choose your organisation, or add it below if it's not listed."
      : "Please tell us your organisation.";
  }
  if (raw.newOrganisation && !raw.sector) problems.sector = "Which sector is the new organisation in?";
  if (raw.organisation && !optionValues(form, "organisation").has(raw.organisation)) problems.organisation = chooseFromList;
  return problems;
}

/**
 * The update typed before joining, which the join form carries back. The form's context comes back
 * from the client, so it is held to the same limit as any update; the bot never sends a longer one.
 */
function pendingUpdateOf({ interaction }: Request): string | undefined {
  const pending = interaction.form?.context.pendingUpdate?.trim();
  return pending && pending.length <= updateTextLimit ? pending : undefined;
}

/** The join form, prefilled from the profile when the person has joined before (joining again edits it). */
export async function joinForm({ ctx, requester }: Request, pendingUpdate?: string): Promise<Form> {
  const organisations = await ctx.prisma.organisation.findMany({
    where: { networkId: ctx.networkId },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const member = requester.member;
  const platform = requester.address.platform;
  const otherPlatform = platform === "slack" ? "Teams" : "Slack";
  const isCoordinator = requester.isCoordinator || member?.role === "coordinator";

  const inputs: Input[] = [
    { type: "text", id: "displayName", label: "Your name", value: member?.displayName ?? requester.address.displayName ?? "", maxLength: 80 },
  ];
  if (organisations.length > 0) {
    inputs.push({
      type: "select",
      id: "organisation",
      label: "Your organisation",
      options: organisations.map((organisation) => ({ value: organisation.id, label: organisation.name })),
      value: member?.organisationId ?? undefined,
      optional: true,
      hint: "Not listed? Add it below instead.",
    });
  }
  inputs.push(
    {
      type: "text",
      id: "newOrganisation",
      label: organisations.length > 0 ? "Or add your organisation" : "Your organisation",
      optional: organisations.length > 0,
      maxLength: 120,
      placeholder: "e.g. Riverside Housing Trust",
    },
    { type: "select", id: "sector", label: "Sector", options: choicesOf(sectorLabels), optional: true, hint: "Needed when you add a new organisation." },
    { type: "text", id: "locality", label: "Locality", optional: true, maxLength: 80, placeholder: "e.g. North Somerset", hint: "For a new organisation: the area it mainly works in." },
  );
  if (!isCoordinator) {
    inputs.push({
      type: "select",
      id: "role",
      label: "Your role in the network",
      options: choicesOf(roleLabels, ["member", "champion"]),
      value: member?.role === "champion" ? "champion" : "member",
      hint: "Champions are nominated by their organisation to lead trauma-informed work there.",
    });
  }
  inputs.push({
    type: "select",
    id: "trainingLevel",
    label: "Your trauma-informed training level",
    options: choicesOf(trainingLevelLabels),
    value: member?.trainingLevel ?? undefined,
    optional: true,
    hint: "Leave blank if you're not sure. You can change it later.",
  });

  const intro = [
    text(member ? "Edit your profile. Change anything and save." : `Join ${ctx.networkName}. It takes a minute.`),
    note("We store your name, organisation, role and training level. Coordinators and other members can see them; nothing else about you is collected."),
  ];
  if (pendingUpdate) intro.unshift(text(`Your update is kept and will be shared as soon as you've joined:\n“${pendingUpdate}”`));
  if (!member) intro.push(note(`Already joined on ${otherPlatform}? Type ${command(platform, "link")} instead, to use the same membership here.`));

  return {
    type: "form",
    verb: "join",
    title: member ? "Edit your profile" : "Join the network",
    submitLabel: member ? "Save" : "Join",
    intro,
    inputs,
    context: pendingUpdate ? { pendingUpdate } : {},
  };
}

/** Stores the profile from a submitted join form, then shares any update typed before joining. */
export async function submitJoin(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  const values = interaction.form?.values ?? {};
  const pendingUpdate = pendingUpdateOf(request);
  const form = await joinForm(request, pendingUpdate);
  const raw = Object.fromEntries(form.inputs.map((input) => [input.id, single(values, input.id)]));
  const parsed = joinSchema.safeParse(raw);
  const errors = { ...organisationProblems(form, raw), ...(parsed.success ? {} : fieldErrors(parsed.error)) };
  const input = parsed.success ? parsed.data : undefined;
  if (!input || Object.keys(errors).length > 0) return withSubmission(form, values, errors);

  const bootstrap = isBootstrapCoordinator(ctx, requester.address);
  const member = await ctx.prisma.$transaction(async (tx) => {
    let organisationId = input.organisation;
    if (!organisationId && input.newOrganisation) {
      const sameName = await tx.organisation.findFirst({
        where: { networkId: ctx.networkId, name: { equals: input.newOrganisation, mode: "insensitive" } },
      });
      organisationId =
        sameName?.id ??
        (
          await tx.organisation.create({
            data: { networkId: ctx.networkId, name: input.newOrganisation, sector: input.sector!, locality: input.locality ?? null },
          })
        ).id;
    }
    const address = await tx.address.findUniqueOrThrow({ where: { id: requester.addressId }, include: { member: true } });
    const current = address.member;
    const role = bootstrap || current?.role === "coordinator" ? "coordinator" : (input.role ?? "member");
    const profile = {
      displayName: input.displayName,
      organisationId: organisationId ?? null,
      role,
      trainingLevel: input.trainingLevel ?? null,
    } as const;
    if (current) return tx.member.update({ where: { id: current.id }, data: profile, include: { organisation: true } });
    return tx.member.create({
      data: { ...profile, networkId: ctx.networkId, addresses: { connect: { id: address.id } } },
      include: { organisation: true },
    });
  });

  const platform = requester.address.platform;
  const welcome = requester.member ? "Your profile is saved." : `Welcome to ${ctx.networkName}, ${member.displayName}.`;
  const blocks = [
    heading(welcome),
    {
      type: "fields" as const,
      fields: [
        { label: "Organisation", value: member.organisation?.name ?? "Not set" },
        { label: "Role", value: roleLabels[member.role] },
        { label: "Training level", value: member.trainingLevel ? trainingLevelLabels[member.trainingLevel] : "Not set" },
      ],
    },
  ];
  if (pendingUpdate) {
    const joined = { ...request, requester: { ...requester, member: { ...member, organisationName: member.organisation?.name ?? null } } };
    const saved = await saveUpdate(joined, { text: pendingUpdate, principleIds: [] });
    blocks.push(...savedUpdateBlocks(saved, platform));
  } else if (!requester.member) {
    blocks.push(
      text(`Next, share something you've done: ${command(platform, "update Ran a reflective practice session #safety")}`),
      buttons({ label: "Share an update", verb: "update", style: "primary" }, { label: "See the principles", verb: "principles" }),
    );
  }
  return message(welcome, ...blocks);
}
