import { findBroadcast } from "./broadcast-status.js";
import { recordAudit } from "../kernel/audit.js";
import type { CoreContext, Request } from "../kernel/context.js";
import type { Download } from "../kernel/feature.js";
import { formatted, message, note, type Message } from "../kernel/view.js";

/** How long an export link works. */
const exportLinkMs = 60 * 60_000;

const broadcastExportColumns = ["broadcast", "recipient", "organisation", "platform", "status", "reason", "attempts", "sent_at", "updated_at", "acknowledgement", "acknowledged_at"] as const;

/** `broadcast export [number]`: a link to a CSV of every recipient with status, reason, time, and their acknowledgement if it asked for one. */
export async function exportBroadcast(request: Request): Promise<Message> {
  const { ctx } = request;
  const found = await findBroadcast(request);
  if ("problem" in found) return found.problem;
  const { broadcast } = found;
  if (!ctx.links) {
    const reply = "Exports need the bot's web address (TI_PUBLIC_URL), which isn't set.";
    return message(reply);
  }
  if (!broadcast.queuedAt) {
    const reply = `Broadcast #${broadcast.number} hasn't been sent, so it has no recipients yet.`;
    return message(reply);
  }
  await recordAudit(request, { action: "broadcast.export", subject: `broadcast #${broadcast.number}` });
  const expires = new Date(ctx.now().getTime() + exportLinkMs);
  const link = ctx.links.sign(`/downloads/broadcasts/${broadcast.number}.csv`, expires);
  return message(
    `Recipients of broadcast #${broadcast.number} (CSV)`,
    formatted(`[Download the recipients of broadcast #${broadcast.number} (CSV)](${link})`),
    note("The link works for an hour. Anyone with the link can download the file, so please don't forward it."),
  );
}

/** The export's rows, read in pages so a large broadcast is never held in memory at once. */
async function* broadcastRecipientRows(ctx: CoreContext, number: number): AsyncGenerator<string[]> {
  const broadcast = await ctx.prisma.broadcast.findFirst({ where: { networkId: ctx.networkId, number }, select: { id: true } });
  if (!broadcast) return;
  let cursor: string | undefined;
  for (;;) {
    const page = await ctx.prisma.delivery.findMany({
      where: { broadcastId: broadcast.id },
      orderBy: { id: "asc" },
      take: 1_000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: {
        id: true,
        platform: true,
        status: true,
        lastError: true,
        attempts: true,
        sentAt: true,
        updatedAt: true,
        member: { select: { displayName: true, leftAt: true, organisation: { select: { name: true } } } },
        acknowledgements: { select: { choice: true, at: true }, take: 1 },
      },
    });
    for (const row of page) {
      yield [
        String(number),
        row.member && !row.member.leftAt ? row.member.displayName : "(left the network)",
        row.member?.organisation?.name ?? "",
        row.platform,
        row.status,
        row.lastError ?? "",
        String(row.attempts),
        row.sentAt?.toISOString() ?? "",
        row.updatedAt.toISOString(),
        row.acknowledgements[0]?.choice ?? "",
        row.acknowledgements[0]?.at.toISOString() ?? "",
      ];
    }
    if (page.length < 1_000) return;
    cursor = page.at(-1)!.id;
  }
}

/** The recipients' CSV at the link `broadcast export` signs; 404 for a broadcast that doesn't exist. */
export const recipientsFile: Download = {
  path: /^\/downloads\/broadcasts\/(\d{1,9})\.csv$/,
  async open(ctx, match) {
    const number = Number(match[1]);
    const exists = (await ctx.prisma.broadcast.count({ where: { networkId: ctx.networkId, number } })) > 0;
    if (!exists) return null;
    return { kind: "csv", filename: `broadcast-${number}-recipients.csv`, columns: broadcastExportColumns, rows: broadcastRecipientRows(ctx, number) };
  },
};
