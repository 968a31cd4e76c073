import type { Job } from "./job.js";
import type { JobDependencies } from "./jobs.js";

/** Opens reporting cycles, and sends report nudges and the coordinators' weekly digest. */
export function reportJobs(_deps: JobDependencies): Job[] {
  return [];
}
