import type { Job } from "./job.js";
import type { JobDependencies } from "./jobs.js";

/** Opens pulse rounds on their schedule, reminds once, and closes rounds with their "you said" summary. */
export function pulseJobs(_deps: JobDependencies): Job[] {
  return [];
}
