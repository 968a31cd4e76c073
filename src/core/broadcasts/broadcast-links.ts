import type { CoreContext, LinkSigner } from "../kernel/context.js";
import type { Db } from "../kernel/member-data.js";
import type { Message } from "../kernel/view.js";

/** How long a counted link in a broadcast keeps redirecting; after that it shows the original link instead. */
export const clickLinkDays = 90;
/** The most links in one broadcast counted; any after these go out as written. */
export const countedLinksMax = 10;

/** Where the bot's redirect for links in broadcasts is served. */
export const clickPathPrefix = "/l/";

/** A link in the formatted subset: `[label](https://…)`, as the renderers read it. */
const markdownLink = /\[([^[\]\n]+)\]\((https:\/\/[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)\)/g;

/**
 * The distinct https links in a broadcast's text, in order of first appearance (at most {@link countedLinksMax}).
 * Plain http links are left alone: the redirect only ever sends people on to https.
 *
 * @example
 * linksIn("See [the charter](https://ti.example.org/charter) and [again](https://ti.example.org/charter)") // ["https://ti.example.org/charter"]
 */
export function linksIn(text: string): string[] {
  const urls = [...text.matchAll(markdownLink)].map((match) => match[2]!);
  return [...new Set(urls)].slice(0, countedLinksMax);
}

/** Numbers the broadcast's links (1, 2, …) before its messages are queued, so every message can point at them. */
export async function recordBroadcastLinks(ctx: CoreContext, broadcast: { id: string; text: string }): Promise<number> {
  const urls = linksIn(broadcast.text);
  if (urls.length === 0) return 0;
  await ctx.prisma.broadcastLink.createMany({
    data: urls.map((url, index) => ({ broadcastId: broadcast.id, position: index + 1, url })),
    skipDuplicates: true,
  });
  return urls.length;
}

/** The path a recipient's counted link takes: which broadcast, which of its links, which delivered message. */
export function clickPath(number: number, position: number, deliveryId: string): string {
  return `${clickPathPrefix}${number}/${position}/${deliveryId}`;
}

/** Reads a click path back; null for anything else. */
export function readClickPath(path: string): { number: number; position: number; deliveryId: string } | null {
  const parts = /^\/l\/(\d{1,9})\/(\d{1,2})\/([0-9a-f-]{36})$/.exec(path);
  return parts ? { number: Number(parts[1]), position: Number(parts[2]), deliveryId: parts[3]! } : null;
}

/** The broadcast number a delivery's purpose names when it is the broadcast's own message (not its reminder or progress line). */
export function broadcastNumberOf(purposeKey: string): number | null {
  const number = /^broadcast:([1-9]\d{0,8})$/.exec(purposeKey)?.[1];
  return number === undefined ? null : Number(number);
}

/**
 * The message with each of the broadcast's links replaced by the recipient's own counted link (signed,
 * for {@link clickLinkDays} days from `sentAt`). Only `formatted` blocks are touched; the label stays.
 *
 * @example
 * withCountedLinks(view, [{ position: 1, url: "https://ti.example.org/charter" }], ctx.links, { number: 12, deliveryId, sentAt })
 */
export function withCountedLinks(
  view: Message,
  links: readonly { position: number; url: string }[],
  signer: Pick<LinkSigner, "sign">,
  delivery: { number: number; deliveryId: string; sentAt: Date },
): Message {
  if (links.length === 0) return view;
  const expires = new Date(delivery.sentAt.getTime() + clickLinkDays * 86_400_000);
  const counted = new Map(links.map((link) => [link.url, signer.sign(clickPath(delivery.number, link.position, delivery.deliveryId), expires)]));
  const blocks = view.blocks.map((block) =>
    block.type === "formatted"
      ? { ...block, text: block.text.replace(markdownLink, (whole, label: string, url: string) => (counted.has(url) ? `[${label}](${counted.get(url)})` : whole)) }
      : block,
  );
  return { ...view, blocks };
}

/** A broadcast's numbered links, for the message's links and the redirect. */
export function loadBroadcastLinks(db: Db, number: number): Promise<{ position: number; url: string }[]> {
  return db.broadcastLink.findMany({ where: { broadcast: { number } }, orderBy: { position: "asc" }, select: { position: true, url: true } });
}

/**
 * A click through the redirect: the link's original address, from the database (never from the link
 * itself), and the click counted once for the delivered message it came from. A click from a message
 * that no longer exists (its reader left, or retention removed it) still goes through, uncounted.
 * Null when the broadcast has no such link.
 */
export async function followLink(
  ctx: CoreContext,
  click: { number: number; position: number; deliveryId: string },
  options: { count: boolean },
): Promise<string | null> {
  const now = ctx.now();
  const rows = options.count
    ? await ctx.prisma.$queryRaw<{ url: string }[]>`
        WITH link AS (
          SELECT l."id", l."url", l."broadcastId" FROM "BroadcastLink" l JOIN "Broadcast" b ON b."id" = l."broadcastId"
          WHERE b."networkId" = ${ctx.networkId} AND b."number" = ${click.number} AND l."position" = ${click.position}
        ), counted AS (
          INSERT INTO "BroadcastClick" ("linkId", "deliveryId", "at")
          SELECT link."id", d."id", ${now} FROM link JOIN "Delivery" d ON d."id" = ${click.deliveryId} AND d."broadcastId" = link."broadcastId"
          ON CONFLICT DO NOTHING
        )
        SELECT link."url" FROM link`
    : await ctx.prisma.$queryRaw<{ url: string }[]>`
        SELECT l."url" FROM "BroadcastLink" l JOIN "Broadcast" b ON b."id" = l."broadcastId"
        WHERE b."networkId" = ${ctx.networkId} AND b."number" = ${click.number} AND l."position" = ${click.position}`;
  const url = rows[0]?.url;
  return url && url.startsWith("https://") ? url : null;
}
