import type { CoreContext, Request } from "../context.js";
import { dayToDate, today } from "./days.js";

const requestDetails = {
  cycle: { select: { id: true, number: true, label: true, dueOn: true } },
  organisation: { select: { id: true, name: true, keyActions: { orderBy: { position: "asc" as const } } } },
  report: true,
} as const;

async function findOpen(ctx: CoreContext, organisationId: string) {
  return ctx.prisma.reportRequest.findFirst({
    where: { organisationId, cycle: { networkId: ctx.networkId, opensOn: { lte: dayToDate(today(ctx)) } } },
    orderBy: { cycle: { dueOn: "desc" } },
    include: requestDetails,
  });
}

export type OpenRequest = NonNullable<Awaited<ReturnType<typeof findOpen>>>;

/**
 * The report request a champion can work on: their organisation's latest open one (a report of a cycle
 * that has been followed by another is closed). A problem, in kind words, when there is none.
 */
export async function findRequestFor({ ctx, requester }: Request): Promise<{ request: OpenRequest } | { problem: string }> {
  const member = requester.member;
  if (!member?.organisationId) return { problem: "Milestone reports are filed for an organisation. Join the network with your organisation first (join)." };
  if (member.role === "member") return { problem: "Your organisation's champions file its milestone reports. If you'd like to be one, ask a coordinator." };
  const request = await findOpen(ctx, member.organisationId);
  if (!request) return { problem: `There's no report to fill in for ${member.organisationName ?? "your organisation"} right now. I'll let you know when a reporting cycle opens.` };
  return { request };
}

/** The organisation's RAG from its last submitted report before this cycle, if any. */
export async function previousRag(ctx: CoreContext, organisationId: string, before: Date): Promise<{ rag: "red" | "amber" | "green"; cycleLabel: string } | null> {
  const report = await ctx.prisma.milestoneReport.findFirst({
    where: { status: "submitted", rag: { not: null }, request: { organisationId, cycle: { dueOn: { lt: before } } } },
    orderBy: { request: { cycle: { dueOn: "desc" } } },
    select: { rag: true, request: { select: { cycle: { select: { label: true } } } } },
  });
  return report?.rag ? { rag: report.rag, cycleLabel: report.request.cycle.label } : null;
}
