import { recordAudit } from "../kernel/audit.js";
import type { CoreContext, Request } from "../kernel/context.js";
import type { Download } from "../kernel/feature.js";
import { buttons, formatted, heading, message, note, text, type Message } from "../kernel/view.js";

const latest = 15;
const exportLinkMs = 60 * 60_000;

const auditExportColumns = ["when", "who", "action", "subject", "detail"] as const;

/** `audit`: the latest coordinator actions; `audit export` (or the link below) gives them all. */
export async function showAudit(request: Request): Promise<Message> {
  const { ctx } = request;
  const entries = await ctx.prisma.auditEntry.findMany({ where: { networkId: ctx.networkId }, orderBy: { createdAt: "desc" }, take: latest });
  if (entries.length === 0) return message("No coordinator actions yet.", text("No coordinator actions recorded yet. Role changes, broadcasts and exports will appear here."));
  const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: ctx.timeZone });
  return message(
    `The latest ${entries.length} coordinator actions`,
    heading("Audit trail"),
    { type: "list", items: entries.map((entry) => `${when.format(entry.createdAt)}: ${entry.actorName}, ${entry.action}, ${entry.subject}${entry.detail ? ` (${entry.detail})` : ""}`) },
    buttons({ label: "Export the whole trail (CSV)", verb: "audit export" }),
    note("The trail is written by the bot only; nobody can edit it here."),
  );
}

/** `audit export`: the link alone. */
export async function exportAudit(request: Request): Promise<Message> {
  await recordAudit(request, { action: "audit.export", subject: "the audit trail" });
  return message("The audit trail (CSV)", ...exportLink(request.ctx, "/downloads/audit.csv", "Download the whole audit trail (CSV)"));
}

function exportLink(ctx: CoreContext, path: string, label: string) {
  if (!ctx.links) return [];
  const link = ctx.links.sign(path, new Date(ctx.now().getTime() + exportLinkMs));
  return [formatted(`[${label}](${link})`), note("The link works for an hour.")];
}

/** The whole trail as a CSV, at the link `audit export` signs. */
export const auditFile: Download = {
  path: /^\/downloads\/audit\.csv$/,
  open: async (ctx) => ({ kind: "csv", filename: "audit-trail.csv", columns: auditExportColumns, rows: auditRows(ctx) }),
};

/** Every entry, oldest first, read in pages. */
async function* auditRows(ctx: CoreContext): AsyncGenerator<string[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await ctx.prisma.auditEntry.findMany({
      where: { networkId: ctx.networkId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 1_000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const entry of page) yield [entry.createdAt.toISOString(), entry.actorName, entry.action, entry.subject, entry.detail ?? ""];
    if (page.length < 1_000) return;
    cursor = page.at(-1)!.id;
  }
}
