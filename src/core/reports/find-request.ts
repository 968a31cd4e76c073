import { z } from "zod";
import type { CoreContext, Request } from "../kernel/context.js";
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

/**
 * Checks the request a form or a nudge's button named against the one this champion can work on: the
 * id comes back from the client (a Teams card's data), so it is never trusted. Undefined when they
 * match; otherwise why nothing was done, kindly.
 */
export async function namedRequestProblem(ctx: CoreContext, named: string | undefined, open: OpenRequest, from: "form" | "reminder"): Promise<string | undefined> {
  if (!named || named === open.id) return undefined;
  const other = z.uuid().safeParse(named).success
    ? await ctx.prisma.reportRequest.findFirst({ where: { id: named, cycle: { networkId: ctx.networkId } }, select: { organisationId: true } })
    : null;
  if (other?.organisationId === open.organisationId) {
    return from === "form"
      ? `That form was for a cycle that has closed; nothing was saved from it. ${open.cycle.label}'s report is open now: type report to fill it in.`
      : `That reminder was for a cycle that has closed, so there's nothing to do. ${open.cycle.label}'s report is open now.`;
  }
  return `That ${from} isn't about ${open.organisation.name}'s report, so nothing was changed. Type report to see ${open.organisation.name}'s.`;
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
