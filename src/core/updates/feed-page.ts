import { command, type Request } from "../kernel/context.js";
import type { Platform } from "../kernel/interaction.js";
import { formatDate, updateKindLabels } from "../kernel/labels.js";
import { buttons, divider, formatted, heading, message, note, text, type Block, type Button, type Message } from "../kernel/view.js";
import { filterExamples } from "./feed-filters.js";
import { findUpdates, type FeedCursor, type FeedUpdate } from "./find-updates.js";
import { describeFilters, resolveFilters, type FeedFilters } from "./resolve-filters.js";

/** Updates on one page: each takes up to four blocks, and a Slack message holds 50. */
export const feedPageSize = 5;

/** Which page to show: the first, or the one just past a cursor, reading on (older) or back (newer). */
export interface FeedPosition {
  page: number;
  direction: "older" | "newer";
  cursor?: FeedCursor;
}

const firstPage: FeedPosition = { page: 1, direction: "older" };

/** Someone who hasn't joined is asked to, kindly, as `me` does. */
export function joinFirst(platform: Platform): Message {
  return message(
    "Join the network to see its updates.",
    text("The network's updates are shared with its members, and you haven't joined yet. It takes a minute; then you can see what champions across the network are doing."),
    buttons({ label: "Join the network", verb: "join", style: "primary" }),
    note(`Or type ${command(platform, "join")} whenever you're ready.`),
  );
}

/**
 * The network's updates as filtered by `typed`, one page of them, newest first, with Previous and Next.
 * Updates kept on a profile only are shown to their author alone; an update whose author left shows as
 * "a champion from <organisation>".
 */
export async function showFeed(request: Request, typed: string, position: FeedPosition = firstPage): Promise<Message> {
  const { ctx, requester } = request;
  const platform = requester.address.platform;
  if (!requester.member) return joinFirst(platform);
  const viewerId = requester.member.id;
  const reading = await resolveFilters(ctx, typed);
  if ("problems" in reading) return notUnderstood(platform, typed, reading.problems);
  const { filters } = reading;

  const at = position.page > 1 && position.cursor ? position : firstPage;
  const found =
    filters.organisationIds?.length === 0
      ? []
      : await findUpdates(ctx, { filters, viewerId, direction: at.direction, cursor: at.cursor, take: feedPageSize + 1 });
  if (at.direction === "newer") {
    // Reading back: the one extra is the newest; without it, this is the first page after all.
    if (found.length === 0) return showFeed(request, typed);
    const newer = found.length > feedPageSize;
    return feedMessage(request, filters, newer ? found.slice(1) : found, { page: newer ? at.page : 1, newer, older: true });
  }
  return feedMessage(request, filters, found.slice(0, feedPageSize), { page: at.page, newer: at.page > 1, older: found.length > feedPageSize });
}

function feedMessage({ ctx, requester }: Request, filters: FeedFilters, updates: FeedUpdate[], paging: { page: number; newer: boolean; older: boolean }): Message {
  const platform = requester.address.platform;
  const described = describeFilters(filters);
  const blocks: Block[] = [heading("The network's updates"), note(described ? `${described}. Newest first.` : "Everything shared with the network, newest first.")];
  if (updates.length === 0) {
    blocks.push(
      text(
        paging.page > 1
          ? "There are no more updates."
          : described
            ? "No updates match these filters yet. Try fewer, or choose others."
            : `Nothing has been shared with the network yet. Be the first: ${command(platform, "update <what you did>")}`,
      ),
    );
  }
  for (const update of updates) blocks.push(divider(), ...updateBlocks(update, ctx.timeZone));
  const tip = filters.text
    ? `To see these again, type ${command(platform, `updates ${filters.text}`)}`
    : updates.length > 0
      ? `To narrow it down, type filters, like ${command(platform, "updates #safety sector:housing this month")}`
      : "";
  blocks.push(divider(), note(`Page ${paging.page}. ${tip}`.trim()));
  const pageButtons: Button[] = [];
  const first = updates[0];
  const last = updates.at(-1);
  if (paging.newer && first) {
    const back = paging.page - 1 <= 1 ? "1" : `${paging.page - 1} newer:${cursorText(first)}`;
    pageButtons.push({ label: "Previous", verb: "updates page", text: `${back} ${filters.text}`.trim() });
  }
  if (paging.older && last) pageButtons.push({ label: "Next", verb: "updates page", text: `${paging.page + 1} older:${cursorText(last)} ${filters.text}`.trim(), style: "primary" });
  pageButtons.push({ label: "Choose filters", verb: "updates" });
  blocks.push(buttons(...pageButtons));
  return message(`The network's updates, page ${paging.page}`, ...blocks);
}

/** One update: what happened, then who, from where, when, its principles and kind, and its link. */
/** One update as the feed shows it: its text, who and when, its principles and link. */
export function updateBlocks(update: FeedUpdate, timeZone: string): Block[] {
  const organisation = update.organisationName;
  const author = update.authorName
    ? `${update.authorName}${organisation ? `, ${organisation}` : ""}`
    : organisation
      ? `a champion from ${organisation}`
      : "a champion";
  const about = [
    `By ${author}`,
    formatDate(update.createdAt, timeZone),
    update.principles.length > 0 ? `Principles: ${update.principles.join(", ")}` : "",
    update.kind ? updateKindLabels[update.kind] : "",
    update.sharedWithNetwork ? "" : "Only on your profile: nobody else sees it here",
  ].filter(Boolean);
  const blocks: Block[] = [text(update.text), note(about.join(" · "))];
  if (update.link) {
    blocks.push(/^https?:\/\/[^\s()]+$/i.test(update.link) && URL.canParse(update.link) ? formatted(`Link: [${new URL(update.link).host}](${update.link})`) : text(`Link: ${update.link}`));
  }
  return blocks;
}

/** `1767225600000.<id>`: a page's edge, as the paging buttons carry it. */
function cursorText(update: FeedUpdate): string {
  return `${update.createdAt.getTime()}.${update.id}`;
}

/** Filters that can't be used: what and why, everything typed given back, and two ways on. */
function notUnderstood(platform: Platform, typed: string, problems: string[]): Message {
  const opening = problems.length === 1 ? "I couldn't use one of those filters, so I haven't looked yet:" : "I couldn't use some of those filters, so I haven't looked yet:";
  return message(
    "I couldn't use all of those filters.",
    text(opening),
    { type: "list", items: problems },
    text(`Here's what you typed, to change and send again: ${command(platform, `updates ${typed}`)}`),
    note(
      `Filters I understand: ${filterExamples.join(", ")}. Put a name with spaces in quotes: org:"Riverside Housing". ` +
        `Sharing something of your own? That's ${command(platform, "update <what you did>")}.`,
    ),
    buttons({ label: "Choose from lists", verb: "updates", style: "primary" }, { label: "See all updates", verb: "updates", text: "all" }),
  );
}
