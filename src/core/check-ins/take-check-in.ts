import { z } from "zod";
import { joinFirst } from "../kernel/join-first.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { fieldErrors, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { message, note, text, type Form, type Message, type View } from "../kernel/view.js";
import { arrivingScale, checkInSettings } from "./settings.js";

export const checkInTextMaxLength = 1_000;

const optionalText = (label: string) =>
  z
    .string()
    .trim()
    .max(checkInTextMaxLength, `Please keep ${label} to ${checkInTextMaxLength.toLocaleString("en-GB")} characters or fewer.`)
    .optional()
    .transform((value) => value || undefined);

const checkInSchema = z.object({
  score: z.coerce.number({ error: "Please choose how you're arriving." }).int().min(1, "Please choose how you're arriving.").max(5, "Please choose how you're arriving."),
  reflection: optionalText("the reflection"),
  noticed: optionalText("what you noticed"),
});

/** `checkin [1-5]`: the check-in form, with the answer already chosen when it came from a button. */
export async function startCheckIn(request: Request): Promise<View> {
  if (!request.requester.member) return joinFirst(request, "Check-ins");
  const typed = request.interaction.text.trim();
  return checkInForm(request.ctx, /^[1-5]$/.test(typed) ? typed : undefined);
}

export function checkInForm(ctx: CoreContext, score?: string): Form {
  return {
    type: "form",
    verb: "checkin",
    title: "Check in",
    submitLabel: "Save my check-in",
    intro: [
      text("A moment for you. There are no right answers."),
      note(`Private: only you will ever see what you write here. Coordinators see only how many check-ins there were, never what they say. What you write is deleted after ${ctx.retention?.checkIns ?? 90} days; how you arrived stays for your own trend until you leave.`),
    ],
    inputs: [
      { type: "select", id: "score", label: "How are you arriving today?", options: arrivingScale.map((label, index) => ({ value: String(index + 1), label })), ...(score ? { value: score } : {}) },
      { type: "text", id: "reflection", label: "A reflection", optional: true, multiline: true, maxLength: checkInTextMaxLength, hint: "Anything on your mind. Optional." },
      {
        type: "text",
        id: "noticed",
        label: "One thing I noticed about my practice",
        optional: true,
        multiline: true,
        maxLength: checkInTextMaxLength,
        hint: "Optional.",
      },
    ],
    context: {},
  };
}

/** The check-in form came back: keep it for the member alone and answer kindly. */
export async function submitCheckIn(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  if (!requester.member) return joinFirst(request, "Check-ins");
  const values = interaction.form?.values ?? {};
  const form = checkInForm(ctx);
  const parsed = checkInSchema.safeParse({ score: single(values, "score"), reflection: single(values, "reflection"), noticed: single(values, "noticed") });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const score = single(values, "score");
  if (score !== undefined && !optionValues(form, "score").has(score)) errors.score = "Please choose one of the answers.";
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  const { score: arriving, reflection, noticed } = parsed.data;
  await ctx.prisma.checkIn.create({ data: { memberId: requester.member.id, score: arriving, reflection: reflection ?? null, noticed: noticed ?? null, createdAt: ctx.now() } });
  return checkInReply(request, arriving);
}

/** A short kind reply; a low answer also gets the network's support links, gently, and nothing else happens. */
function checkInReply({ ctx, requester }: Request, score: number): Message {
  const history = `Only you can see it. ${command(requester.address.platform, "checkin history")} shows your last few.`;
  if (score <= 2) {
    const reply = "Thank you for checking in. It sounds like things are hard right now, and that's okay to say.";
    return message(
      reply,
      text(reply),
      text("Be gentle with yourself today. If it would help to talk to someone, these are here for you:"),
      { type: "list", items: [...checkInSettings(ctx).supportLinks] },
      note(`Nobody else has been told about this check-in. ${history}`),
    );
  }
  const reply = score === 3 ? "Thank you for checking in. Noticing how you are is part of the practice." : "Thank you for checking in. Good to hear it.";
  return message(reply, text(reply), note(`Saved. ${history}`));
}

/** `checkin later`: nothing to do. */
export async function checkInLater({ requester }: Request): Promise<View> {
  const reply = `No problem. Whenever you'd like a moment, type ${command(requester.address.platform, "checkin")}.`;
  return { ...message(reply), replacesOriginal: true };
}
