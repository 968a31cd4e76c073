import { recordAudit } from "../kernel/audit.js";
import type { CoreContext, Request } from "../kernel/context.js";
import type { DownloadFile } from "../kernel/feature.js";
import { sectorLabels } from "../kernel/labels.js";
import { formatted, message, note, type Message } from "../kernel/view.js";
import { findEvent } from "./find-event.js";

const exportLinkMs = 60 * 60_000;
const page = 1_000;

export const answerExportColumns = ["event", "title", "member", "organisation", "sector", "answer", "waiting_list", "answered_at", "invited_at"] as const;

/** `event export 4`: a link, for an hour, to a CSV of everyone invited and their answer. */
export async function exportAnswers(request: Request): Promise<Message> {
  const { ctx } = request;
  const found = await findEvent(request, "event export");
  if ("problem" in found) return found.problem;
  const { event } = found;
  if (!ctx.links) return message("Exports need the bot's web address (TI_PUBLIC_URL), which isn't set.");
  await recordAudit(request, { action: "event.export", subject: `event #${event.number}` });
  const link = ctx.links.sign(`/downloads/events/${event.number}/answers.csv`, new Date(ctx.now().getTime() + exportLinkMs));
  return message(
    `Answers to event #${event.number} (CSV)`,
    formatted(`[Download the answers to event #${event.number}, ${event.title.replace(/[[\]()*_]/g, " ")} (CSV)](${link})`),
    note("The link works for an hour. It holds names, so please don't forward it."),
  );
}

/** The export file, read in pages; null for no such event. */
export async function answersFile(ctx: CoreContext, number: number): Promise<DownloadFile | null> {
  const event = await ctx.prisma.networkEvent.findFirst({ where: { networkId: ctx.networkId, number }, select: { id: true, title: true } });
  if (!event) return null;
  return { kind: "csv", filename: `event-${number}-answers.csv`, columns: answerExportColumns, rows: answerRows(ctx, event.id, number, event.title) };
}

async function* answerRows(ctx: CoreContext, eventId: string, number: number, title: string): AsyncGenerator<string[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await ctx.prisma.eventInvitation.findMany({
      where: { eventId, member: { leftAt: null } },
      orderBy: { id: "asc" },
      take: page,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      include: { member: { select: { displayName: true, organisation: { select: { name: true, sector: true } } } } },
    });
    for (const row of rows) {
      const organisation = row.member.organisation;
      yield [
        String(number),
        title,
        row.member.displayName,
        organisation?.name ?? "",
        organisation ? sectorLabels[organisation.sector] : "",
        row.answer ?? "no answer",
        row.waitlistedAt ? "yes" : "",
        row.answeredAt?.toISOString() ?? "",
        row.invitedAt.toISOString(),
      ];
    }
    if (rows.length < page) return;
    cursor = rows.at(-1)!.id;
  }
}
