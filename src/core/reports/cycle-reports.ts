import type { Rag, ReportStatus, Sector } from "../../db/generated/enums.js";
import type { CoreContext } from "../kernel/context.js";
import { dayToDate, today } from "./days.js";

/** One organisation's report in a cycle, with the RAG of its last submitted report before it. */
export interface CycleReportRow {
  requestId: string;
  organisationName: string;
  sector: Sector;
  locality: string | null;
  status: ReportStatus | null;
  rag: Rag | null;
  previousRag: Rag | null;
  leadName: string | null;
  summary: string | null;
  successes: string | null;
  challengeResources: string | null;
  challengeBudget: string | null;
  challengeTimescales: string | null;
  milestones: unknown;
  keyActionProgress: unknown;
  maturity: unknown;
  submittedAt: Date | null;
  updatedAt: Date | null;
  remindersStopped: boolean;
}

export interface CycleSummary {
  id: string;
  number: number;
  label: string;
  opensOn: Date;
  dueOn: Date;
}

/** The cycle numbered, or the latest one open today. */
export async function findCycle(ctx: CoreContext, number?: number): Promise<CycleSummary | null> {
  return ctx.prisma.reportingCycle.findFirst({
    where: { networkId: ctx.networkId, ...(number === undefined ? { opensOn: { lte: dayToDate(today(ctx)) } } : { number }) },
    orderBy: { dueOn: "desc" },
    select: { id: true, number: true, label: true, opensOn: true, dueOn: true },
  });
}

/** A page of a cycle's reports in organisation order, after the row named (by name and request id). */
export function cycleReportRows(ctx: CoreContext, cycleId: string, after: { name: string; id: string } | null, limit: number): Promise<CycleReportRow[]> {
  return ctx.prisma.$queryRaw<CycleReportRow[]>`
    SELECT r."id" AS "requestId", o."name" AS "organisationName", o."sector", o."locality",
           mr."status", mr."rag", prev."rag" AS "previousRag", mr."leadName", mr."summary", mr."successes",
           mr."challengeResources", mr."challengeBudget", mr."challengeTimescales", mr."milestones", mr."keyActionProgress", mr."maturity",
           mr."submittedAt", mr."updatedAt",
           EXISTS (SELECT 1 FROM "ReportNudgeState" s WHERE s."requestId" = r."id" AND s."stoppedAt" IS NOT NULL) AS "remindersStopped"
    FROM "ReportRequest" r
    JOIN "ReportingCycle" c ON c."id" = r."cycleId"
    JOIN "Organisation" o ON o."id" = r."organisationId"
    LEFT JOIN "MilestoneReport" mr ON mr."requestId" = r."id"
    LEFT JOIN LATERAL (
      SELECT pm."rag" FROM "MilestoneReport" pm
      JOIN "ReportRequest" pr ON pr."id" = pm."requestId" JOIN "ReportingCycle" pc ON pc."id" = pr."cycleId"
      WHERE pr."organisationId" = r."organisationId" AND pm."status" = 'submitted' AND pm."rag" IS NOT NULL AND pc."dueOn" < c."dueOn"
      ORDER BY pc."dueOn" DESC LIMIT 1) prev ON true
    WHERE r."cycleId" = ${cycleId} AND (${after?.name ?? null}::text IS NULL OR (o."name", r."id") > (${after?.name ?? ""}, ${after?.id ?? ""}))
    ORDER BY o."name", r."id"
    LIMIT ${limit}`;
}

/** Every row of a cycle, read a page at a time. */
export async function* allCycleReportRows(ctx: CoreContext, cycleId: string, pageSize = 500): AsyncGenerator<CycleReportRow> {
  let after: { name: string; id: string } | null = null;
  for (;;) {
    const page = await cycleReportRows(ctx, cycleId, after, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    const last = page.at(-1)!;
    after = { name: last.organisationName, id: last.requestId };
  }
}

export type ReportState = "submitted" | "draft" | "due" | "overdue";

/** Where a report is: submitted, or a draft, due or overdue by the due day. */
export function reportState(row: Pick<CycleReportRow, "status">, dueOn: Date, day: string): ReportState {
  if (row.status === "submitted") return "submitted";
  if (day > dueOn.toISOString().slice(0, 10)) return "overdue";
  return row.status === "draft" ? "draft" : "due";
}
