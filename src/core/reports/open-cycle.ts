import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../kernel/context.js";
import { addMonths, dateToDay, dayToDate, periodLabel, today, type Day } from "./days.js";

/**
 * What a new cycle is: when it opens and is due, how often it repeats, and which organisations it
 * covers (none listed: all).
 *
 * @example
 * await openCycle(ctx, { opensOn: "2027-01-01", dueOn: "2027-03-31", cadenceMonths: 3, organisationIds: [], createdById: null });
 */
export interface CycleSpec {
  opensOn: Day;
  dueOn: Day;
  cadenceMonths: number | null;
  organisationIds: string[];
  createdById: string | null;
  label?: string;
}

export interface OpenedCycle {
  id: string;
  number: number;
  label: string;
  requests: number;
}

/**
 * Creates the cycle and one report request per organisation it covers, in one transaction. Returns null
 * when the network already has a cycle due that day (two replicas opening the same cycle open it once).
 */
export async function openCycle(ctx: CoreContext, spec: CycleSpec): Promise<OpenedCycle | null> {
  const label = spec.label?.trim() || periodLabel(spec.opensOn, spec.dueOn);
  return ctx.prisma.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<{ id: string; number: number }[]>`
      INSERT INTO "ReportingCycle" ("id", "networkId", "label", "opensOn", "dueOn", "cadenceMonths", "organisationIds", "createdById", "createdAt")
      VALUES (gen_random_uuid()::text, ${ctx.networkId}, ${label}, ${dayToDate(spec.opensOn)}::date, ${dayToDate(spec.dueOn)}::date,
              ${spec.cadenceMonths}::int, ${spec.organisationIds}::text[], ${spec.createdById}, ${ctx.now()})
      ON CONFLICT ("networkId", "dueOn") DO NOTHING
      RETURNING "id", "number"`;
    const cycle = inserted[0];
    if (!cycle) return null;
    const only = spec.organisationIds.length > 0 ? Prisma.sql`AND o."id" IN (${Prisma.join(spec.organisationIds)})` : Prisma.empty;
    const requests = await tx.$executeRaw`
      INSERT INTO "ReportRequest" ("id", "cycleId", "organisationId", "createdAt")
      SELECT gen_random_uuid()::text, ${cycle.id}, o."id", ${ctx.now()} FROM "Organisation" o
      WHERE o."networkId" = ${ctx.networkId} ${only}
      ON CONFLICT ("cycleId", "organisationId") DO NOTHING`;
    return { id: cycle.id, number: cycle.number, label, requests };
  });
}

/**
 * Opens the next cycle of the network's repeating schedule once its day has come: the latest cycle a
 * coordinator set (or this job opened) repeats every `cadenceMonths`. Returns the cycle it opened, if any.
 */
export async function openNextCycle(ctx: CoreContext): Promise<OpenedCycle | null> {
  const latest = await ctx.prisma.reportingCycle.findFirst({ where: { networkId: ctx.networkId }, orderBy: [{ createdAt: "desc" }, { number: "desc" }] });
  if (!latest?.cadenceMonths) return null;
  const opensOn = addMonths(dateToDay(latest.opensOn), latest.cadenceMonths);
  if (opensOn > today(ctx)) return null;
  return openCycle(ctx, {
    opensOn,
    dueOn: addMonths(dateToDay(latest.dueOn), latest.cadenceMonths),
    cadenceMonths: latest.cadenceMonths,
    organisationIds: latest.organisationIds,
    createdById: null,
  });
}

/**
 * Adds a new organisation to the open cycle that covers every organisation, if there is one still
 * before its due day, so it reports this cycle rather than waiting for the next. Returns that cycle.
 */
export async function joinOpenCycle(tx: Prisma.TransactionClient, ctx: CoreContext, organisationId: string): Promise<{ label: string; dueOn: Date } | null> {
  const day = today(ctx);
  const cycle = await tx.reportingCycle.findFirst({
    where: { networkId: ctx.networkId, organisationIds: { isEmpty: true }, opensOn: { lte: dayToDate(day) }, dueOn: { gte: dayToDate(day) } },
    orderBy: { dueOn: "desc" },
    select: { id: true, label: true, dueOn: true },
  });
  if (!cycle) return null;
  await tx.reportRequest.createMany({ data: [{ cycleId: cycle.id, organisationId }], skipDuplicates: true });
  return cycle;
}
