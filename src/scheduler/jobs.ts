import type { Config } from "../config.js";
import type { CoreContext } from "../core/kernel/context.js";
import type { PrismaClient } from "../db/generated/client.js";
import { checkInJobs } from "../core/check-ins/jobs.js";
import { eventJobs } from "../core/events/jobs.js";
import type { Job } from "../core/kernel/job.js";
import { pulseJobs } from "../core/pulses/jobs.js";
import { reportJobs } from "../core/reports/jobs.js";
import { retentionJob } from "../core/privacy/retention.js";

export interface JobDependencies {
  prisma: PrismaClient;
  config: Config;
  now: () => Date;
  /** The core's context: jobs call the same use cases people do. */
  ctx: CoreContext;
}

/** Every job the bot schedules. */
export function scheduledJobs(deps: JobDependencies): Job[] {
  const { prisma, config, now } = deps;
  return [
    ...eventJobs(deps),
    ...reportJobs(deps),
    ...pulseJobs(deps),
    ...checkInJobs(deps),
    retentionJob({
      prisma,
      now,
      limits: { deliveryDays: config.TI_RETAIN_DELIVERY_DAYS, auditDays: config.TI_RETAIN_AUDIT_DAYS, checkInDays: config.TI_RETAIN_CHECKIN_DAYS },
    }),
  ];
}
