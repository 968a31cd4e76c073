import type { CoreContext, Request } from "../context.js";
import { dayToDate, today } from "./days.js";

const requestDetails = {
  cycle: { select: { id: true, number: true, label: true, dueOn: true } },
  organisation: { select: { id: true, name: true, keyActions: { orderBy: { position: "asc" as const } } } },
  report: true,
} as const;

async function findOpen(ctx: CoreContext, where: { organisationId: string; id?: string }) {
  return ctx.prisma.reportRequest.findFirst({
    where: { ...where, cycle: { networkId: ctx.networkId, opensOn: { lte: dayToDate(today(ctx)) } } },
    orderBy: { cycle: { dueOn: "desc" } },
    include: requestDetails,
  });
}

export type OpenRequest = NonNullable<Awaited<ReturnType<typeof findOpen>>>;

/**
 * The report request a champion can work on: the one a button named, if it is their organisation's,
 * else their organisation's latest open one. A problem, in kind words, when there is none.
 */
export async function findRequestFor({ ctx, requester }: Request, requestId?: string): Promise<{ request: OpenRequest } | { problem: string }> {
  const member = requester.member;
  if (!member?.organisationId) return { problem: "Milestone reports are filed for an organisation. Join the network with your organisation first (join)." };
  if (member.role === "member") return { problem: "Your organisation's champions file its milestone reports. If you'd like to be one, ask a coordinator." };
  const named = requestId ? await findOpen(ctx, { organisationId: member.organisationId, id: requestId }) : null;
  const request = named ?? (await findOpen(ctx, { organisationId: member.organisationId }));
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
