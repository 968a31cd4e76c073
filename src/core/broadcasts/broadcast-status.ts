import type { Broadcast } from "../../db/generated/client.js";
import { people } from "../kernel/labels.js";
import type { CoreContext, Request } from "../kernel/context.js";
import type { Platform } from "../kernel/interaction.js";
import { buttons, heading, message, note, text, type Block, type Message } from "../kernel/view.js";
import { loadClickFigures, type ClickCount, type ClickFigures, type ClickSlices } from "./click-figures.js";
import { loadAcknowledgementFigures, notYetAcknowledged, type AckCount, type AcknowledgementFigures, type FoldedSlices } from "./acknowledgement-figures.js";

export const deliveryStatuses = ["queued", "sending", "sent", "retrying", "failed", "gone", "cancelled"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** Where a broadcast stands: counts by platform and status, and its recent pace. */
export interface BroadcastStatus {
  number: number;
  queuedAt: Date | null;
  cancelledAt: Date | null;
  counts: Record<Platform, Record<DeliveryStatus, number>>;
  /** Sent in the last minute, for the time still to go. */
  sentLastMinute: number;
  /** How it was acknowledged, when it asked for that. */
  acknowledgements: AcknowledgementFigures | null;
  /** How its links were used, in aggregate only, when its text had any. */
  clicks: ClickFigures | null;
  /** Who hasn't acknowledged yet, by name: only for the coordinator who sent it. */
  notYetAcknowledged?: { names: string[]; total: number };
}

const statusWords: Record<DeliveryStatus, string> = {
  queued: "waiting",
  sending: "sending",
  sent: "sent",
  retrying: "trying again",
  failed: "failed",
  gone: "no longer reachable",
  cancelled: "cancelled",
};

const unsettled: readonly DeliveryStatus[] = ["queued", "sending", "retrying"];

export async function loadBroadcastStatus(ctx: CoreContext, broadcastId: string): Promise<BroadcastStatus> {
  const since = new Date(ctx.now().getTime() - 60_000);
  const [broadcast, rows, recent, links] = await Promise.all([
    ctx.prisma.broadcast.findUniqueOrThrow({ where: { id: broadcastId }, select: { number: true, queuedAt: true, cancelledAt: true, ackChoices: true } }),
    ctx.prisma.delivery.groupBy({ by: ["platform", "status"], where: { broadcastId }, _count: { _all: true } }),
    ctx.prisma.delivery.count({ where: { broadcastId, status: "sent", sentAt: { gte: since } } }),
    ctx.prisma.broadcastLink.count({ where: { broadcastId } }),
  ]);
  const empty = () => Object.fromEntries(deliveryStatuses.map((status) => [status, 0])) as Record<DeliveryStatus, number>;
  const counts: BroadcastStatus["counts"] = { slack: empty(), teams: empty() };
  for (const row of rows) counts[row.platform][row.status] = row._count._all;
  const { ackChoices, ...rest } = broadcast;
  const acknowledgements = ackChoices.length > 0 && broadcast.queuedAt ? await loadAcknowledgementFigures(ctx, { id: broadcastId, number: broadcast.number, ackChoices }) : null;
  const clicks = links > 0 && broadcast.queuedAt ? await loadClickFigures(ctx, { id: broadcastId, number: broadcast.number }) : null;
  return { ...rest, counts, sentLastMinute: recent, acknowledgements, clicks };
}

export function isSettled(status: BroadcastStatus): boolean {
  return (["slack", "teams"] as const).every((platform) => unsettled.every((state) => status.counts[platform][state] === 0));
}

/** One progress line and the counts; the same view is replaced in place while the broadcast is sending. */
export function broadcastStatusView(ctx: Pick<CoreContext, "now">, status: BroadcastStatus, opening?: string): Message {
  const total = (state: DeliveryStatus) => status.counts.slack[state] + status.counts.teams[state];
  const all = (deliveryStatuses as readonly DeliveryStatus[]).reduce((sum, state) => sum + total(state), 0);
  const sent = total("sent");
  const remaining = unsettled.reduce((sum, state) => sum + total(state), 0);
  const line = progressLine(status, { all, sent, remaining });
  const platformLine = (platform: Platform, label: string) => {
    const parts = deliveryStatuses.filter((state) => status.counts[platform][state] > 0).map((state) => `${status.counts[platform][state]} ${statusWords[state]}`);
    return `${label}: ${parts.length > 0 ? parts.join(", ") : "nobody"}`;
  };
  const blocks = [
    heading(`Broadcast #${status.number}`),
    ...(opening ? [text(opening)] : []),
    text(line),
    { type: "list" as const, items: [platformLine("slack", "Slack"), platformLine("teams", "Teams")] },
  ];
  if (status.acknowledgements) blocks.push(...acknowledgementBlocks(status));
  if (status.clicks) blocks.push(...clickBlocks(status.clicks));
  if (total("gone") > 0) blocks.push(note("\"No longer reachable\" means the person removed the app or left their workspace; they won't be messaged again there."));
  if (remaining > 0 && !status.cancelledAt) {
    blocks.push(buttons({ label: "Cancel what hasn't gone", verb: "broadcast cancel", text: String(status.number), style: "danger" }));
  }
  if (status.queuedAt) blocks.push(buttons({ label: "Export recipients (CSV)", verb: "broadcast export", text: String(status.number) }));
  blocks.push(note(`As of ${ctx.now().toISOString().slice(11, 16)} UTC.`));
  return message(`Broadcast #${status.number}: ${line}`, ...blocks);
}

function progressLine(status: BroadcastStatus, totals: { all: number; sent: number; remaining: number }): string {
  if (!status.queuedAt) return status.cancelledAt ? "Discarded before sending." : "A draft: not sent yet.";
  if (totals.all === 0) return "Nobody matched its audience, so nothing was sent.";
  const done = `${totals.sent} of ${totals.all} sent`;
  if (totals.remaining === 0) return status.cancelledAt ? `Cancelled: ${done}.` : `Finished: ${done}.`;
  if (status.sentLastMinute === 0) return `${done}; ${people(totals.remaining)} still to go (waiting for sending hours or the platform).`;
  const minutes = Math.ceil(totals.remaining / status.sentLastMinute);
  return `${done}; about ${minutes === 1 ? "a minute" : `${minutes} minutes`} to go at the current rate.`;
}

const percent = (part: number, whole: number) => (whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`);
const shareOf = (count: AckCount) => `${count.acknowledged} of ${count.recipients} (${percent(count.acknowledged, count.recipients)})`;

function sliceLine(slices: FoldedSlices): string | undefined {
  if (slices.shown.length === 0) return undefined;
  const parts = slices.shown.map((slice) => `${slice.name} ${shareOf(slice)}`);
  if (slices.other) parts.push(`Other ${shareOf(slices.other)}`);
  return parts.join(" · ");
}

/** Delivered, acknowledged by choice, the share by organisation and sector, and (for its author) who hasn't answered. */
function acknowledgementBlocks(status: BroadcastStatus): Block[] {
  const figures = status.acknowledgements!;
  const byChoice = figures.choices.length > 1 ? `: ${figures.byChoice.map((entry) => `${entry.choice} ${entry.count}`).join(" · ")}` : "";
  const fields = [
    { label: "Delivered", value: people(figures.delivered) },
    { label: "Acknowledged", value: `${shareOf({ recipients: figures.delivered, acknowledged: figures.acknowledged })}${byChoice}` },
  ];
  const byOrganisation = sliceLine(figures.byOrganisation);
  const bySector = sliceLine(figures.bySector);
  if (byOrganisation) fields.push({ label: "By organisation", value: byOrganisation });
  if (bySector) fields.push({ label: "By sector", value: bySector });
  const blocks: Block[] = [
    { type: "fields", fields },
    note(`Shares by organisation and sector show only groups of ${figures.minimumGroup} or more people; smaller ones are counted together as "other", and none that could be worked out from the rest.`),
  ];
  const waiting = status.notYetAcknowledged;
  if (waiting && waiting.total > 0) {
    const more = waiting.total - waiting.names.length;
    blocks.push(text(`Not acknowledged yet (${waiting.total}), shown to you because you sent it:`), {
      type: "list",
      items: more > 0 ? [...waiting.names, `and ${people(more)} more: the CSV export lists everyone`] : waiting.names,
    });
    blocks.push(buttons({ label: "Remind them once", verb: "broadcast remind", text: String(status.number) }));
  } else if (waiting) {
    blocks.push(text("Everyone it reached has acknowledged it."));
  }
  return blocks;
}

const clickShare = (count: ClickCount) => `${count.clicked} of ${count.recipients} (${percent(count.clicked, count.recipients)})`;

function clickSliceLine(slices: ClickSlices): string | undefined {
  if (slices.shown.length === 0) return undefined;
  const parts = slices.shown.map((slice) => `${slice.name} ${clickShare(slice)}`);
  if (slices.other) parts.push(`Other ${clickShare(slices.other)}`);
  return parts.join(" · ");
}

/** People who clicked any link and each link, by organisation and sector: counts only, never names. */
function clickBlocks(figures: ClickFigures): Block[] {
  if (!figures.shown) {
    return [note(`Clicks on its links are counted, and shown once it has reached at least ${figures.minimumGroup} people, so no count points at anyone.`)];
  }
  const fields = [
    { label: "Clicked a link", value: clickShare({ recipients: figures.delivered, clicked: figures.clicked }) },
    ...figures.byLink.map((link) => ({ label: `Link ${link.position}`, value: `${people(link.people)}: ${link.url}` })),
  ];
  const byOrganisation = clickSliceLine(figures.byOrganisation);
  const bySector = clickSliceLine(figures.bySector);
  if (byOrganisation) fields.push({ label: "Clicked, by organisation", value: byOrganisation });
  if (bySector) fields.push({ label: "Clicked, by sector", value: bySector });
  return [
    { type: "fields", fields },
    note(`Clicks are counted once per person and link, and shown only as counts, never who clicked. Groups under ${figures.minimumGroup} people are counted together as "other".`),
  ];
}

/**
 * `broadcast status [number]`: the latest broadcast, or the one named. The coordinator who sent it also
 * sees who hasn't acknowledged it by name (the message asked them to); other coordinators see counts.
 */
export async function showBroadcastStatus(request: Request): Promise<Message> {
  const found = await findBroadcast(request);
  if ("problem" in found) return found.problem;
  const { broadcast } = found;
  const status = await loadBroadcastStatus(request.ctx, broadcast.id);
  const isAuthor = broadcast.authorId !== null && broadcast.authorId === request.requester.member?.id;
  if (status.acknowledgements && isAuthor) status.notYetAcknowledged = await notYetAcknowledged(request.ctx, broadcast);
  return broadcastStatusView(request.ctx, status);
}

/** The broadcast a command names by number (`12` or `#12`), or the latest when it names none. */
export async function findBroadcast({ ctx, interaction }: Request): Promise<{ broadcast: Broadcast } | { problem: Message }> {
  const typed = interaction.text.trim().replace(/^#/, "");
  if (typed && !/^\d{1,9}$/.test(typed)) {
    const reply = `"${typed.slice(0, 40)}" isn't a broadcast number. Try "broadcast status" for the latest, or "broadcast status 12".`;
    return { problem: message(reply) };
  }
  const broadcast = typed
    ? await ctx.prisma.broadcast.findFirst({ where: { networkId: ctx.networkId, number: Number(typed) } })
    : await ctx.prisma.broadcast.findFirst({ where: { networkId: ctx.networkId }, orderBy: { number: "desc" } });
  if (!broadcast) {
    const reply = typed ? `There's no broadcast #${typed}.` : `No broadcasts yet. Start one with "broadcast".`;
    return { problem: message(reply) };
  }
  return { broadcast };
}
