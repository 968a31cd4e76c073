import { z } from "zod";
import type { Request } from "../kernel/context.js";
import { fieldErrors, many, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { joinForm } from "../membership/join-network.js";
import { choicesOf, updateKindLabels, updateKinds } from "../kernel/labels.js";
import { message, note, text, type Form, type View } from "../kernel/view.js";
import { saveUpdate, savedUpdateBlocks, updateTextLimit } from "./save-update.js";

/** Who an update from the form is for: the network's feed, or the author's profile only. */
const sharingChoices = ["network", "profile"] as const;

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
  sharing: z.enum(sharingChoices, { error: "Please choose one of the options." }).optional(),
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
      note(
        "Members and coordinators of the network see updates in its feed. If you'd rather, keep one on your profile only: " +
          "nobody else sees it, though it still counts, as a number, in the network's figures. Everything except what happened is optional.",
      ),
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
      {
        type: "select",
        id: "sharing",
        label: "Who sees it",
        options: [
          { value: "network", label: "Everyone in the network" },
          { value: "profile", label: "Only me, on my profile: don't share it beyond that" },
        ],
        value: "network",
        optional: true,
      },
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
    sharing: single(values, "sharing"),
  });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (parsed.success) {
    const offered = optionValues(form, "principles");
    if (!parsed.data.principles.every((id) => offered.has(id))) errors.principles = "Please choose principles from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) {
    return withSubmission(form, values, errors);
  }
  const { principles, sharing, ...rest } = parsed.data;
  const saved = await saveUpdate(request, { ...rest, principleIds: principles, sharedWithNetwork: sharing !== "profile" });
  return message("Your update is saved.", ...savedUpdateBlocks(saved, requester.address.platform));
}
