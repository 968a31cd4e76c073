import type { CoreContext, Request } from "./context.js";
import { buttons, formatted, heading, message, note, text, type Message } from "./view.js";

/**
 * One coordinator action, as the audit trail records it.
 *
 * @example
 * await recordAudit(request, { action: "role.change", subject: "Sam Jones", subjectMemberId: sam.id, detail: "champion → coordinator" });
 */
export interface AuditFact {
  action: string;
  subject: string;
  subjectMemberId?: string;
  detail?: string;
}

export async function recordAudit({ ctx, requester }: Pick<Request, "ctx" | "requester">, fact: AuditFact): Promise<void> {
  await ctx.prisma.auditEntry.create({
    data: {
      networkId: ctx.networkId,
      actorId: requester.member?.id ?? null,
      actorName: requester.member?.displayName ?? requester.address.displayName ?? `${requester.address.platform} user ${requester.address.userId}`,
      action: fact.action,
      subject: fact.subject,
      subjectMemberId: fact.subjectMemberId ?? null,
      detail: fact.detail ?? null,
      createdAt: ctx.now(),
    },
  });
}

const latest = 15;
const exportLinkMs = 60 * 60_000;

export const auditExportColumns = ["when", "who", "action", "subject", "detail"] as const;

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

/** Every entry, oldest first, read in pages. */
export async function* auditRows(ctx: CoreContext): AsyncGenerator<string[]> {
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
