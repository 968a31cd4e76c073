import type { Config } from "../config.js";
import type { PrismaClient } from "../db/generated/client.js";
import type { Job } from "./job.js";
import { retentionJob } from "./retention.js";

export interface JobDependencies {
  prisma: PrismaClient;
  config: Config;
  now: () => Date;
}

/** Every job the bot schedules. Later jobs (event reminders, report nudges, pulse rounds) join this list. */
export function scheduledJobs({ prisma, config, now }: JobDependencies): Job[] {
  return [
    retentionJob({
      prisma,
      now,
      limits: { deliveryDays: config.TI_RETAIN_DELIVERY_DAYS, auditDays: config.TI_RETAIN_AUDIT_DAYS },
    }),
  ];
}
