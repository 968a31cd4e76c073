import { z } from "zod";
import { command, type Request } from "../kernel/context.js";
import { message, text, type View } from "../kernel/view.js";
import { filterExamples, filterTextLimit } from "./feed-filters.js";
import { feedForm } from "./feed-form.js";
import { joinFirst, showFeed, type FeedPosition } from "./feed-page.js";

/**
 * `updates [filters]`: the network's updates, newest first, a page at a time. A bare `updates` opens
 * the filter form; someone who hasn't joined is asked to first.
 */
export async function listUpdates(request: Request): Promise<View> {
  const { requester, interaction } = request;
  const platform = requester.address.platform;
  if (!requester.member) return joinFirst(platform);
  const typed = interaction.text.trim();
  if (!typed) return feedForm(request);
  if (typed.length > filterTextLimit) {
    return message(
      "That's more than I can read as filters.",
      text(`Filters are short, like ${filterExamples.slice(0, 4).join(" ")}. Here's what you typed, so nothing is lost:`),
      text(typed),
      text(`To share it as an update instead, that's ${command(platform, "update <what you did>")}.`),
    );
  }
  return showFeed(request, typed);
}

/** What a paging button carries: `3 older:<ms>.<id> #safety this month`, or `1 #safety` for the first page. */
const pagingPattern = /^(\d{1,7})(?: (older|newer):(\d{1,15})\.([\w-]{1,64}))?(?:\s+([\s\S]*))?$/;
const pagingSchema = z.object({
  page: z.coerce.number().int().min(1),
  direction: z.enum(["older", "newer"]).optional(),
  // Up to the last day of 9999: what PostgreSQL and ISO 8601 both read.
  at: z.coerce.number().int().min(0).max(253_402_300_799_999).optional(),
  id: z.string().optional(),
  filters: z.string().max(filterTextLimit).default(""),
});

/**
 * `updates page …`, from Previous and Next: that page, shown in place of the one the button was on. The
 * button's text comes back from the platform, so it is read again like anything typed.
 */
export async function pageUpdates(request: Request): Promise<View> {
  const { requester, interaction } = request;
  const platform = requester.address.platform;
  if (!requester.member) return joinFirst(platform);
  const match = pagingPattern.exec(interaction.text.trim());
  const parsed = pagingSchema.safeParse(match ? { page: match[1], direction: match[2], at: match[3], id: match[4], filters: match[5] } : undefined);
  if (!parsed.success) {
    return message(`Sorry, that button is out of date. Type ${command(platform, "updates")} to see the network's updates again.`);
  }
  const { page, direction, at, id, filters } = parsed.data;
  const position: FeedPosition = direction && at !== undefined && id ? { page, direction, cursor: { createdAt: new Date(at), id } } : { page: 1, direction: "older" };
  return { ...(await showFeed(request, filters, position)), replacesOriginal: true };
}
