import { command, type Request } from "./context.js";
import type { HomeContribution } from "./feature.js";
import { roleLabels, trainingLevelLabels } from "./labels.js";
import { buttons, divider, heading, message, note, text, type Block, type Button, type Message } from "./view.js";

/** A home stays one message: Slack takes 50 blocks in one, so each part is capped. */
const most = { waiting: 18, news: 12 } as const;
/** Slack shows up to 25 buttons in a row of actions; past five they stop reading as quick buttons. */
const quickButtons = 5;

/**
 * Someone's home: who they are in the network, buttons for what they often do, what waits for them
 * (each feature's own, with its buttons), what's new, and for coordinators the network at a glance.
 * Someone who hasn't joined gets an invitation to, and the same "what's new".
 */
export function showHome(parts: readonly HomeContribution[], { ctx, requester }: Pick<Request, "ctx" | "requester">): Message {
  const platform = requester.address.platform;
  const member = requester.member;
  const blocks: Block[] = [];
  if (member) {
    const who = [roleLabels[member.role], member.organisationName, member.trainingLevel ? trainingLevelLabels[member.trainingLevel] : undefined].filter(Boolean).join(" · ");
    blocks.push(heading(`Hello, ${member.displayName}`), text(`You're part of ${ctx.networkName}: ${who}.`));
  } else {
    blocks.push(heading(`Welcome to ${ctx.networkName}`), text("Join in a minute to share your trauma-informed work, answer pulse questions and come to network events."));
  }
  const all = parts.flatMap((part) => part.actions ?? []);
  const actions = [...all.filter((button) => button.style === "primary"), ...all.filter((button) => button.style !== "primary")];
  const offered: Button[] = member ? actions : [{ label: "Join the network", verb: "join", style: "primary" }];
  if (offered.length > 0) blocks.push(buttons(...offered.slice(0, quickButtons)));

  if (member) {
    const waiting = parts.flatMap((part) => part.waiting ?? []);
    blocks.push(divider(), heading("Waiting for you"));
    blocks.push(...(waiting.length > 0 ? capped(waiting, most.waiting) : [text("Nothing is waiting for you. Thank you for all you do.")]));
  }
  const news = parts.flatMap((part) => part.news ?? []);
  if (news.length > 0) blocks.push(divider(), heading("New in the network"), ...capped(news, most.news));

  if (requester.isCoordinator) {
    const glance = parts.flatMap((part) => part.glance ?? []);
    const coordinatorActions = parts.flatMap((part) => part.coordinatorActions ?? []);
    blocks.push(divider(), heading("Running the network"));
    if (glance.length > 0) blocks.push({ type: "list", items: [...glance] });
    if (coordinatorActions.length > 0) blocks.push(buttons(...coordinatorActions.slice(0, quickButtons)));
  }
  blocks.push(note(`Type ${command(platform, "home")} to see this again, or ${command(platform, "help")} for everything I can do.`));
  return message(member ? `Your home in ${ctx.networkName}` : `Welcome to ${ctx.networkName}`, ...blocks);
}

/** The first blocks up to `limit`, never ending on a lone divider. */
function capped(blocks: readonly Block[], limit: number): Block[] {
  const kept = blocks.slice(0, limit);
  while (kept.at(-1)?.type === "divider") kept.pop();
  return kept;
}
