import type { Config } from "../config.js";
import type { CoreContext } from "../core/context.js";
import type { PrismaClient } from "../db/generated/client.js";
import { checkInJobs } from "./check-in-jobs.js";
import { eventJobs } from "./event-jobs.js";
import type { Job } from "./job.js";
import { pulseJobs } from "./pulse-jobs.js";
import { reportJobs } from "./report-jobs.js";
import { retentionJob } from "./retention.js";

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
