import { randomUUID } from "node:crypto";
import { z } from "zod";
import { command, type Request } from "../kernel/context.js";
import { fieldErrors, many, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { tagPrinciples } from "./hashtags.js";
import { joinForm } from "../membership/join-network.js";
import { choicesOf, updateKindLabels, updateKinds } from "../kernel/labels.js";
import type { Platform } from "../kernel/interaction.js";
import { heading, message, note, text, type Block, type Form, type View } from "../kernel/view.js";

export const updateTextLimit = 2000;

export interface UpdateInput {
  text: string;
  kind?: (typeof updateKinds)[number];
  principleIds: string[];
  link?: string;
}

export interface SavedUpdate {
  text: string;
  principles: string[];
  unknownTags: string[];
  organisation: string | null;
  /** True when this request had already been stored (a redelivery): nothing new was saved. */
  repeated: boolean;
}

const updateSchema = z.object({
  text: z
    .string({ error: "Please say what happened." })
    .trim()
    .min(1, "Please say what happened.")
    .max(updateTextLimit, `Please keep an update to ${updateTextLimit.toLocaleString("en-GB")} characters or fewer.`),
  kind: z.enum(updateKinds, { error: "Please choose one of the options." }).optional(),
  principles: z.array(z.string()),
  link: z
    .url({ protocol: /^https?$/, error: "Please give a full web address starting with https://" })
    .max(500, "Please keep the link to 500 characters or fewer.")
    .optional(),
});

/** `update <text>` shares at once; a bare `update` opens the form; someone not yet joined joins first. */
export async function shareUpdate(request: Request): Promise<View> {
  const { requester, interaction } = request;
  const typed = interaction.text.trim();
  if (typed.length > updateTextLimit) {
    return message(
      "That update is a little long",
      text(
        `That's ${typed.length.toLocaleString("en-GB")} characters; an update can be up to ${updateTextLimit.toLocaleString("en-GB")}. ` +
          "Could you shorten it or share it as two updates? Here is what you wrote, so nothing is lost:",
      ),
      text(typed),
    );
  }
  if (!requester.member) return joinForm(request, typed || undefined);
  if (!typed) return updateForm(request);
  const saved = await saveUpdate(request, { text: typed, principleIds: [] });
  return message(saved.repeated ? "Your update was already saved." : "Your update is saved.", ...savedUpdateBlocks(saved, requester.address.platform));
}

export async function updateForm({ ctx }: Request): Promise<Form> {
  const principles = await ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" } });
  return {
    type: "form",
    verb: "update",
    title: "Share an update",
    submitLabel: "Share",
    intro: [
      text("Tell the network about trauma-informed work: training, a change in practice, a reflection, a challenge."),
      note("Coordinators and members of the network can see updates. Everything except what happened is optional."),
    ],
    inputs: [
      { type: "text", id: "text", label: "What happened?", multiline: true, maxLength: updateTextLimit },
      { type: "select", id: "kind", label: "Kind of update", options: choicesOf(updateKindLabels), optional: true },
      {
        type: "multiselect",
        id: "principles",
        label: "Principles it shows",
        options: principles.map((principle) => ({ value: principle.id, label: principle.name })),
        optional: true,
      },
      { type: "text", id: "link", label: "Link", optional: true, maxLength: 500, placeholder: "https://…", hint: "A page, report or photo album about it." },
    ],
    context: {},
  };
}

export async function submitUpdateForm(request: Request): Promise<View> {
  const { requester, interaction } = request;
  const values = interaction.form?.values ?? {};
  if (!requester.member) return joinForm(request, single(values, "text"));
  const form = await updateForm(request);
  const parsed = updateSchema.safeParse({
    text: single(values, "text"),
    kind: single(values, "kind"),
    principles: many(values, "principles"),
    link: single(values, "link"),
  });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (parsed.success) {
    const offered = optionValues(form, "principles");
    if (!parsed.data.principles.every((id) => offered.has(id))) errors.principles = "Please choose principles from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) {
    return withSubmission(form, values, errors);
  }
  const { principles, ...rest } = parsed.data;
  const saved = await saveUpdate(request, { ...rest, principleIds: principles });
  return message("Your update is saved.", ...savedUpdateBlocks(saved, requester.address.platform));
}

/** Stores an update once per request, tagging the principles its hashtags name. */
export async function saveUpdate({ ctx, requester, interaction }: Request, input: UpdateInput): Promise<SavedUpdate> {
  const member = requester.member;
  if (!member) throw new Error("saveUpdate needs a member");
  const principles = await ctx.prisma.principle.findMany({
    where: { networkId: ctx.networkId },
    orderBy: { position: "asc" },
    select: { id: true, name: true },
  });
  const tagged = tagPrinciples(input.text, principles);
  const chosen = new Set([...input.principleIds, ...tagged.principles.map((principle) => principle.id)]);
  const sourceRef = interaction.requestId ? `${requester.address.platform}:${interaction.requestId}` : null;

  // One statement for the update and its principles; a redelivered request (same sourceRef) inserts nothing.
  const [result] = await ctx.prisma.$queryRaw<{ inserted: number }[]>`
    WITH inserted AS (
      INSERT INTO "Update" ("id", "networkId", "authorId", "organisationId", "text", "kind", "link", "sourcePlatform", "sourceRef", "createdAt")
      VALUES (${randomUUID()}, ${ctx.networkId}, ${member.id}, ${member.organisationId}, ${input.text}, ${input.kind ?? null}::"UpdateKind",
              ${input.link ?? null}, ${requester.address.platform}::"Platform", ${sourceRef}, ${ctx.now()})
      ON CONFLICT ("sourceRef") DO NOTHING
      RETURNING "id"
    ), tagged AS (
      INSERT INTO "UpdatePrinciple" ("updateId", "principleId")
      SELECT inserted."id", principle FROM inserted, unnest(${[...chosen]}::text[]) AS principle
    )
    SELECT count(*)::int AS inserted FROM inserted`;

  if (result?.inserted === 1 || !sourceRef) {
    return {
      text: input.text,
      principles: principles.filter((principle) => chosen.has(principle.id)).map((principle) => principle.name),
      unknownTags: tagged.unknown,
      organisation: member.organisationName,
      repeated: false,
    };
  }
  const stored = await ctx.prisma.update.findUniqueOrThrow({
    where: { sourceRef },
    include: { organisation: true, principles: { include: { principle: true } } },
  });
  const storedIds = new Set(stored.principles.map((link) => link.principleId));
  return {
    text: stored.text,
    principles: principles.filter((principle) => storedIds.has(principle.id)).map((principle) => principle.name),
    unknownTags: tagged.unknown,
    organisation: stored.organisation?.name ?? null,
    repeated: true,
  };
}

export function savedUpdateBlocks(saved: SavedUpdate, platform: Platform): Block[] {
  const blocks: Block[] = [
    heading(saved.repeated ? "Your update was already saved" : "Thanks, your update is saved"),
    text(saved.text),
    {
      type: "fields",
      fields: [
        { label: "Principles", value: saved.principles.length > 0 ? saved.principles.join(", ") : "None tagged" },
        { label: "Organisation", value: saved.organisation ?? "Not set" },
      ],
    },
  ];
  if (saved.unknownTags.length > 0) {
    blocks.push(note(`${saved.unknownTags.join(", ")} ${saved.unknownTags.length === 1 ? "isn't" : "aren't"} one of the network's principles, so stayed as text. See ${command(platform, "principles")}.`));
  } else if (saved.principles.length === 0) {
    blocks.push(note(`Tip: tag principles with hashtags like #safety or #choice. ${command(platform, "principles")} lists them.`));
  }
  return blocks;
}
