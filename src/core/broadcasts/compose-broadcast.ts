import { z } from "zod";
import { audienceSchema, countRecipients, describeAudience, type Audience } from "../kernel/audience.js";
import { audienceErrors, audienceInputIds, audienceInputs, readAudience } from "../kernel/audience-form.js";
import type { CoreContext, Request } from "../kernel/context.js";
import { fieldErrors, many, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { people } from "../kernel/labels.js";
import { describeMoment, describeSendingHours, nextSendingTime, parseSendingHours } from "../kernel/sending-hours.js";
import { buttons, divider, formatted, heading, message, note, text, type Block, type Form, type Message, type View } from "../kernel/view.js";

/** Long enough for an announcement, short enough for one Slack section and one card. */
export const broadcastMaxLength = 2_000;

const broadcastSchema = z.object({
  message: z
    .string({ error: "Please write the message." })
    .trim()
    .min(1, "Please write the message.")
    .max(broadcastMaxLength, `Please keep the message to ${broadcastMaxLength.toLocaleString("en-GB")} characters or fewer.`),
  timing: z.enum(["hours", "now"], { error: "Please choose when to send it." }),
  audience: audienceSchema,
  ackChoices: z.array(z.string()),
});

/** At most this many choices to acknowledge with, each at most this long: they are buttons. */
export const ackChoicesMax = 3;
export const ackChoiceMaxLength = 30;
export const gotIt = "Got it";

const ackKinds = ["none", "gotit", "choices"] as const;
type AckKind = (typeof ackKinds)[number];

/**
 * The choices the form asks for, or the error to show beside the box: `none` asks nothing, `gotit` one
 * Got it button, `choices` up to three typed, separated by `/` or new lines.
 *
 * @example
 * readAckChoices("choices", "Will attend / Can't / Not sure") // { choices: ["Will attend", "Can't", "Not sure"] }
 */
export function readAckChoices(kind: string | undefined, typed: string | undefined): { choices: string[] } | { errors: Record<string, string> } {
  const parts = (typed ?? "").split(/[\/\n]/).map((part) => part.trim().replace(/\s+/g, " ")).filter(Boolean);
  if (kind !== undefined && !(ackKinds as readonly string[]).includes(kind)) return { errors: { ack: "Please choose from the list." } };
  if (kind !== "choices") {
    if (parts.length > 0) return { errors: { ackChoices: 'To offer these choices, pick "Yes, with choices I type" above; or clear this box.' } };
    return { choices: kind === "gotit" ? [gotIt] : [] };
  }
  if (parts.length === 0) return { errors: { ackChoices: 'Please type at least one choice, or pick "Yes, with a Got it button" above.' } };
  if (parts.length > ackChoicesMax) return { errors: { ackChoices: `Please give ${ackChoicesMax} choices at most, separated by /.` } };
  if (parts.some((part) => part.length > ackChoiceMaxLength)) return { errors: { ackChoices: `Please keep each choice to ${ackChoiceMaxLength} characters or fewer, so it fits on a button.` } };
  if (new Set(parts.map((part) => part.toLowerCase())).size < parts.length) return { errors: { ackChoices: "Please make each choice different." } };
  return { choices: parts };
}

function ackKindOf(choices: readonly string[]): AckKind {
  if (choices.length === 0) return "none";
  return choices.length === 1 && choices[0] === gotIt ? "gotit" : "choices";
}

/** The broadcast form; with a draft's values when editing one. */
export async function broadcastForm(
  { ctx }: Pick<Request, "ctx">,
  draft?: { number: number; text: string; audience: Audience; sendNow: boolean; ackChoices: readonly string[] },
): Promise<Form> {
  const [audience, network] = await Promise.all([
    audienceInputs(ctx, draft?.audience),
    ctx.prisma.network.findUniqueOrThrow({ where: { id: ctx.networkId }, select: { sendingHours: true } }),
  ]);
  return {
    type: "form",
    verb: "broadcast",
    title: "New broadcast",
    submitLabel: "Preview",
    intro: [
      text("Write an announcement for the network. You'll see a preview and how many people it reaches before anything is sent."),
      note("Formatting: **bold**, _italic_, [a link](https://example.org), and lines starting with - for a list."),
    ],
    inputs: [
      { type: "text", id: "message", label: "Message", multiline: true, maxLength: broadcastMaxLength, value: draft?.text ?? "" },
      ...audience,
      {
        type: "select",
        id: "timing",
        label: "When",
        options: [
          { value: "hours", label: `In sending hours (${describeSendingHours(parseSendingHours(network.sendingHours))})` },
          { value: "now", label: "Now, even in quiet time" },
        ],
        value: draft?.sendNow ? "now" : "hours",
      },
      {
        type: "select",
        id: "ack",
        label: "Ask people to acknowledge it?",
        hint: "Optional. Each person's answer is kept with the record of the message; you'll see who hasn't answered, other coordinators see counts.",
        options: [
          { value: "none", label: "No, just the message" },
          { value: "gotit", label: "Yes, with a Got it button" },
          { value: "choices", label: "Yes, with choices I type" },
        ],
        value: ackKindOf(draft?.ackChoices ?? []),
      },
      {
        type: "text",
        id: "ackChoices",
        label: "Choices",
        optional: true,
        hint: `Up to ${ackChoicesMax}, separated by /, each up to ${ackChoiceMaxLength} characters. For example: Will attend / Can't / Not sure`,
        maxLength: (ackChoiceMaxLength + 3) * ackChoicesMax,
        value: ackKindOf(draft?.ackChoices ?? []) === "choices" ? draft!.ackChoices.join(" / ") : "",
      },
    ],
    context: draft ? { draft: String(draft.number) } : {},
  };
}

/** `broadcast [message]`: the form, with anything typed after the verb already in the message box. */
export async function startBroadcast(request: Request): Promise<Form> {
  const typed = request.interaction.text.trim();
  const form = await broadcastForm(request);
  if (typed) form.inputs = form.inputs.map((input) => (input.id === "message" && input.type === "text" ? { ...input, value: typed } : input));
  return form;
}

/** The form came back: check it, keep a draft, and show the preview with the number of recipients. */
export async function submitBroadcastForm(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  const values = interaction.form?.values ?? {};
  const form = await broadcastForm(request);
  const ack = readAckChoices(single(values, "ack") ?? "none", single(values, "ackChoices"));
  const parsed = broadcastSchema.safeParse({
    message: single(values, "message"),
    timing: single(values, "timing") ?? "hours",
    audience: readAudience(values),
    ackChoices: "choices" in ack ? ack.choices : [],
  });
  const errors = { ...(parsed.success ? {} : audienceErrors(fieldErrors(parsed.error), parsed.error)), ...("errors" in ack ? ack.errors : {}) };
  for (const id of [...audienceInputIds, "timing", "ack"]) {
    const offered = optionValues(form, id);
    if (many(values, id).some((value) => !offered.has(value))) errors[id] = "Please choose from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);

  const { message: body, timing, audience, ackChoices } = parsed.data;
  const draftNumber = Number(interaction.form?.context.draft);
  const draft = await saveDraft(ctx, requester.member?.id ?? null, { text: body, audience, sendNow: timing === "now", ackChoices }, draftNumber);
  return broadcastPreview(request, draft);
}

interface Draft {
  id: string;
  number: number;
  text: string;
  audience: Audience;
  sendNow: boolean;
  ackChoices: string[];
}

/**
 * The broadcasts a person may send, edit or discard: their own. One with no author (written by a
 * configured coordinator who hasn't joined, or by someone who has since left) is any coordinator's.
 */
export function changeableBy(memberId: string | null | undefined) {
  return { OR: [{ authorId: null }, ...(memberId ? [{ authorId: memberId }] : [])] };
}

/** Edits the draft the form came from if it is still a draft, or starts a new one. */
async function saveDraft(ctx: CoreContext, authorId: string | null, data: Omit<Draft, "id" | "number">, draftNumber: number): Promise<Draft> {
  const fields = { text: data.text, audience: data.audience, sendNow: data.sendNow, ackChoices: data.ackChoices };
  if (Number.isInteger(draftNumber)) {
    const edited = await ctx.prisma.broadcast.updateManyAndReturn({
      // The draft number comes back from the client: someone else's draft is left alone, and a new one made.
      where: { number: draftNumber, networkId: ctx.networkId, queuedAt: null, cancelledAt: null, ...changeableBy(authorId) },
      data: fields,
    });
    if (edited[0]) return { ...data, id: edited[0].id, number: edited[0].number };
  }
  const created = await ctx.prisma.broadcast.create({ data: { ...fields, networkId: ctx.networkId, authorId } });
  return { ...data, id: created.id, number: created.number };
}

/** What the coordinator checks before sending: the message as members will see it, who and when. */
export async function broadcastPreview({ ctx, requester }: Request, draft: Draft): Promise<Message> {
  const [counts, organisations, network] = await Promise.all([
    countRecipients(ctx, draft.audience),
    ctx.prisma.organisation.findMany({ where: { id: { in: draft.audience.organisations } }, select: { id: true, name: true } }),
    ctx.prisma.network.findUniqueOrThrow({ where: { id: ctx.networkId }, select: { sendingHours: true } }),
  ]);
  const total = counts.slack + counts.teams;
  const authorName = requester.member?.displayName ?? requester.address.displayName ?? "a coordinator";
  const blocks: Block[] = [
    heading(`Preview of broadcast #${draft.number}`),
    note("This is how members will see it:"),
    divider(),
    ...broadcastMessage(ctx, { number: draft.number, text: draft.text, authorName, ackChoices: draft.ackChoices }).blocks,
    divider(),
    {
      type: "fields",
      fields: [
        { label: "Who", value: describeAudience(draft.audience, new Map(organisations.map((organisation) => [organisation.id, organisation.name]))) },
        { label: "Recipients", value: `${people(total)}: ${counts.slack} on Slack, ${counts.teams} on Teams` },
        { label: "When", value: timingText(ctx, network.sendingHours, draft.sendNow) },
        { label: "Acknowledgement", value: draft.ackChoices.length === 0 ? "Not asked for" : `Asked for: ${draft.ackChoices.join(" / ")}` },
      ],
    },
  ];
  if (total === 0) {
    blocks.push(text("Nobody in the network matches this audience yet, so there is nothing to send. Edit it to choose a wider audience."));
    blocks.push(buttons({ label: "Edit", verb: "broadcast edit", text: String(draft.number) }, { label: "Discard", verb: "broadcast discard", text: String(draft.number) }));
  } else {
    blocks.push(
      buttons(
        { label: `Send to ${people(total)}`, verb: "broadcast send", text: String(draft.number), style: "primary" },
        { label: "Edit", verb: "broadcast edit", text: String(draft.number) },
        { label: "Discard", verb: "broadcast discard", text: String(draft.number), style: "danger" },
      ),
    );
  }
  return message(`Preview of broadcast #${draft.number}: ${people(total)}`, ...blocks);
}

function timingText(ctx: CoreContext, sendingHoursText: string, sendNow: boolean): string {
  if (sendNow) return "Now, even in quiet time";
  const hours = parseSendingHours(sendingHoursText);
  const start = nextSendingTime(hours, ctx.timeZone, ctx.now());
  const within = `In sending hours (${describeSendingHours(hours)})`;
  return start.getTime() > ctx.now().getTime() ? `${within}: it's quiet time now, so it starts ${describeMoment(start, ctx.timeZone, ctx.now())}` : `${within}: now`;
}

/** A broadcast as its message is built from it; one asking for an acknowledgement names itself by number on its buttons. */
export type BroadcastContent = { text: string; authorName: string } & ({ number: number; ackChoices: readonly string[] } | { number?: undefined; ackChoices?: undefined });

/** The announcement as a member receives it, with its buttons to acknowledge it if it asks. */
export function broadcastMessage(ctx: Pick<CoreContext, "networkName">, broadcast: BroadcastContent): Message {
  // A link's label, not its address: a notification can't be clicked, and the message's own links are counted.
  const firstLine = broadcast.text.split("\n")[0]!.replace(/\[([^[\]\n]+)\]\(https?:\/\/[^\s()]+\)/g, "$1").replace(/[*_[\]]/g, "").slice(0, 120);
  return message(
    `${ctx.networkName}: ${firstLine}`,
    heading(`From ${ctx.networkName}`),
    formatted(broadcast.text),
    ...(broadcast.number === undefined ? [] : ackBlocks(broadcast)),
    note(`Sent by ${broadcast.authorName} to the network. You get announcements because you joined ${ctx.networkName}.`),
  );
}

/** What asks for an answer: a line saying so and who sees it, and a button per choice. */
export function ackBlocks(broadcast: { number: number; ackChoices: readonly string[] }, answer?: string): Block[] {
  if (broadcast.ackChoices.length === 0) return [];
  const asking = broadcast.ackChoices.length === 1 ? `Please press ${broadcast.ackChoices[0]} to say it reached you.` : "Please let the coordinators know by choosing one:";
  const said = answer ? `Thanks, noted: ${answer}.` : asking;
  const choices = broadcast.ackChoices.map((choice, index) => ({
    label: choice,
    verb: "broadcast ack",
    text: `${broadcast.number} ${index + 1}`,
    ...(choice === answer ? { style: "primary" as const } : {}),
  }));
  const canChange = !answer || broadcast.ackChoices.length > 1;
  return [
    text(said),
    ...(canChange ? [buttons(...choices)] : []),
    note(
      (answer && canChange ? "You can change your answer with the buttons. " : "") +
        "Your answer is kept with the record of this message. Coordinators see how many answered; the coordinator who sent it also sees who hasn't yet.",
    ),
  ];
}
