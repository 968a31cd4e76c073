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
});

/** The broadcast form; with a draft's values when editing one. */
export async function broadcastForm({ ctx }: Pick<Request, "ctx">, draft?: { number: number; text: string; audience: Audience; sendNow: boolean }): Promise<Form> {
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
  const parsed = broadcastSchema.safeParse({
    message: single(values, "message"),
    timing: single(values, "timing") ?? "hours",
    audience: readAudience(values),
  });
  const errors = parsed.success ? {} : audienceErrors(fieldErrors(parsed.error), parsed.error);
  for (const id of [...audienceInputIds, "timing"]) {
    const offered = optionValues(form, id);
    if (many(values, id).some((value) => !offered.has(value))) errors[id] = "Please choose from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);

  const { message: body, timing, audience } = parsed.data;
  const draftNumber = Number(interaction.form?.context.draft);
  const draft = await saveDraft(ctx, requester.member?.id ?? null, { text: body, audience, sendNow: timing === "now" }, draftNumber);
  return broadcastPreview(request, draft);
}

interface Draft {
  id: string;
  number: number;
  text: string;
  audience: Audience;
  sendNow: boolean;
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
  const fields = { text: data.text, audience: data.audience, sendNow: data.sendNow };
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
    ...broadcastMessage(ctx, { text: draft.text, authorName }).blocks,
    divider(),
    {
      type: "fields",
      fields: [
        { label: "Who", value: describeAudience(draft.audience, new Map(organisations.map((organisation) => [organisation.id, organisation.name]))) },
        { label: "Recipients", value: `${people(total)}: ${counts.slack} on Slack, ${counts.teams} on Teams` },
        { label: "When", value: timingText(ctx, network.sendingHours, draft.sendNow) },
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

/** The announcement as a member receives it. */
export function broadcastMessage(ctx: Pick<CoreContext, "networkName">, broadcast: { text: string; authorName: string }): Message {
  const firstLine = broadcast.text.split("\n")[0]!.replace(/[*_[\]]/g, "").slice(0, 120);
  return message(
    `${ctx.networkName}: ${firstLine}`,
    heading(`From ${ctx.networkName}`),
    formatted(broadcast.text),
    note(`Sent by ${broadcast.authorName} to the network. You get announcements because you joined ${ctx.networkName}.`),
  );
}
