import { setImmediate as nextTurn } from "node:timers/promises";
import type { PrismaClient } from "../../db/generated/client.js";
import { dailySlot, type Job } from "../kernel/job.js";
import type { RetentionDays } from "./settings.js";

export interface RetentionOptions {
  prisma: PrismaClient;
  limits: RetentionDays;
  now?: () => Date;
  /** Rows per DELETE, so no statement holds its locks for long on a big table. */
  batchSize?: number;
}

export interface RetentionResult {
  deliveries: number;
  auditEntries: number;
  checkInTexts: number;
}

const dayMs = 86_400_000;

/** The nightly job that deletes what is past its time (03:30, in the network's time zone). */
export function retentionJob(options: RetentionOptions): Job {
  return {
    id: "retention",
    cron: "30 3 * * *",
    slot: dailySlot,
    run: async () => retentionOutcome(await applyRetention(options), options.limits),
  };
}

/**
 * Deletes deliveries settled (sent, failed, gone or cancelled) more than `deliveryDays` ago and audit
 * entries older than `auditDays`. Deliveries still queued, sending or retrying are never touched.
 */
export async function applyRetention({ prisma, limits, now = () => new Date(), batchSize = 5_000 }: RetentionOptions): Promise<RetentionResult> {
  const at = now().getTime();
  const deliveriesBefore = new Date(at - limits.deliveries * dayMs);
  const auditBefore = new Date(at - limits.auditEntries * dayMs);
  const checkInsBefore = new Date(at - limits.checkIns * dayMs);
  const deliveries = await inBatches(
    () => prisma.$executeRaw`
      DELETE FROM "Delivery" WHERE "id" IN (
        SELECT "id" FROM "Delivery"
        WHERE "status" IN ('sent', 'failed', 'gone', 'cancelled') AND COALESCE("sentAt", "updatedAt") < ${deliveriesBefore}
        LIMIT ${batchSize})`,
    batchSize,
  );
  const auditEntries = await inBatches(
    () => prisma.$executeRaw`
      DELETE FROM "AuditEntry" WHERE "id" IN (SELECT "id" FROM "AuditEntry" WHERE "createdAt" < ${auditBefore} LIMIT ${batchSize})`,
    batchSize,
  );
  const erasedAt = new Date(at);
  const checkInTexts = await inBatches(
    () => prisma.$executeRaw`
      UPDATE "CheckIn" SET "reflection" = NULL, "noticed" = NULL, "textErasedAt" = ${erasedAt}
      WHERE "id" IN (SELECT "id" FROM "CheckIn" WHERE "createdAt" < ${checkInsBefore} AND "textErasedAt" IS NULL
                                                AND ("reflection" IS NOT NULL OR "noticed" IS NOT NULL) LIMIT ${batchSize})`,
    batchSize,
  );
  return { deliveries, auditEntries, checkInTexts };
}


/** `deleted 3 deliveries settled over 180 days ago and 1 audit entry over 730 days old; erased the text of 2 check-ins over 90 days old` */
export function retentionOutcome({ deliveries, auditEntries, checkInTexts }: RetentionResult, limits: RetentionDays): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    `deleted ${count(deliveries, "delivery", "deliveries")} settled over ${limits.deliveries} days ago` +
    ` and ${count(auditEntries, "audit entry", "audit entries")} over ${limits.auditEntries} days old` +
    `; erased the text of ${count(checkInTexts, "check-in", "check-ins")} over ${limits.checkIns} days old`
  );
}

async function inBatches(deleteBatch: () => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
    await nextTurn();
  }
}
