import { command, type Request } from "../kernel/context.js";
import { buttons, divider, heading, message, note, text, type Block, type Message } from "../kernel/view.js";
import { answerLine, eventBlocks, rsvpButtons, withCourse } from "./event-card.js";
import { countAnswers, describeCounts } from "./event-counts.js";
import { draftButtons } from "./answer-draft.js";
import { eventVerbs } from "./verbs.js";
import { describeMoment } from "../kernel/sending-hours.js";

/** How many events one list shows: each takes several blocks, and a Slack message holds 50. */
const listedEvents = 4;

/**
 * `events`: the upcoming events someone was invited to, with their answer and the buttons again. For
 * coordinators, every upcoming event (drafts too) with counts by organisation and sector, and what
 * they can do with each.
 */
export async function upcomingEvents(request: Request): Promise<Message> {
  const typed = request.interaction.text.trim();
  if (typed && !/^(list|upcoming)$/i.test(typed)) return unknownEventVerb(request, typed);
  return request.requester.isCoordinator ? coordinatorList(request) : memberList(request);
}

/** `event frobnicate`: what there is to type instead. */
function unknownEventVerb({ requester }: Request, typed: string): Message {
  const platform = requester.address.platform;
  const usable = eventVerbs.filter((verb) => !verb.hidden && (requester.isCoordinator || verb.who === "anyone"));
  const reply = `I don't know "event ${typed.split(/\s+/)[0]!.slice(0, 40)}". Here's what you can do with events:`;
  return message(reply, text(reply), { type: "list", items: usable.map((verb) => `${command(platform, verb.usage)}: ${verb.summary}`) });
}

async function memberList({ ctx, requester }: Request): Promise<Message> {
  const memberId = requester.member?.id;
  const invitations = memberId
    ? await ctx.prisma.eventInvitation.findMany({
        where: { memberId, event: { networkId: ctx.networkId, status: "scheduled", startsAt: { gt: ctx.now() } } },
        include: { event: { include: withCourse } },
        orderBy: { event: { startsAt: "asc" } },
        take: listedEvents,
      })
    : [];
  if (invitations.length === 0) {
    const reply = "There are no upcoming events you've been invited to. When there is one, I'll send you an invite.";
    return message(reply);
  }
  const blocks: Block[] = [heading("Your upcoming events")];
  for (const { event, answer, waitlistedAt } of invitations) {
    blocks.push(divider(), ...eventBlocks(ctx, event), text(answerLine(answer, waitlistedAt !== null)), rsvpButtons(event, answer, true));
  }
  blocks.push(note("You can change your answer until each event starts."));
  return message(`Your upcoming events: ${invitations.length}`, ...blocks);
}

async function coordinatorList({ ctx, requester }: Request): Promise<Message> {
  const events = await ctx.prisma.networkEvent.findMany({
    where: { networkId: ctx.networkId, status: { in: ["draft", "scheduled"] }, endsAt: { gt: ctx.now() } },
    orderBy: { startsAt: "asc" },
    take: listedEvents,
    include: withCourse,
  });
  const platform = requester.address.platform;
  if (events.length === 0) {
    const reply = `No upcoming events. Plan one with ${command(platform, "event new")}.`;
    return message(reply);
  }
  const own = requester.member
    ? await ctx.prisma.eventInvitation.findMany({ where: { memberId: requester.member.id, eventId: { in: events.map((event) => event.id) } } })
    : [];
  const blocks: Block[] = [heading("Upcoming events")];
  for (const event of events) {
    blocks.push(divider(), ...eventBlocks(ctx, event));
    blocks.push(...(await coordinatorDetail(ctx, event)));
    // A coordinator invited too answers here as everyone else does.
    const invitation = own.find((candidate) => candidate.eventId === event.id);
    if (invitation && event.startsAt > ctx.now()) {
      blocks.push(text(answerLine(invitation.answer, invitation.waitlistedAt !== null)), rsvpButtons(event, invitation.answer, true));
    }
  }
  blocks.push(note(`Plan another with ${command(platform, "event new")}. Answers by person are in each event's export.`));
  return message(`Upcoming events: ${events.length}`, ...blocks);
}

async function coordinatorDetail(ctx: Request["ctx"], event: { id: string; number: number; status: string; capacity: number | null; invitedAt: Date | null; inviteAt: Date | null }): Promise<Block[]> {
  const number = String(event.number);
  if (event.status === "draft") {
    return [
      text(`Event #${number} is a draft of a repeating event: nobody is invited until you confirm it.`),
      draftButtons(event.number),
    ];
  }
  const counts = await countAnswers(ctx, event.id);
  const status = event.invitedAt ? describeCounts(counts.total, event.capacity) : `Invites not sent yet${event.inviteAt ? `; they go ${describeMoment(event.inviteAt, ctx.timeZone, ctx.now())}` : ""}.`;
  const blocks: Block[] = [{ type: "fields", fields: [{ label: `Event #${number}`, value: status }] }];
  if (event.invitedAt && counts.byOrganisation.length > 0) {
    blocks.push({ type: "list", items: [
        ...counts.byOrganisation.slice(0, 8).map(([name, byName]) => `${name}: ${describeCounts(byName)}`),
        ...counts.bySector.map(([name, byName]) => `Sector ${name}: ${describeCounts(byName)}`),
      ] });
  }
  blocks.push(buttons({ label: "Edit", verb: "event edit", text: number }, { label: "Export answers (CSV)", verb: "event export", text: number }, { label: "Cancel event", verb: "event cancel", text: number, style: "danger" }));
  return blocks;
}
