import type { Job } from "./job.js";
import type { JobDependencies } from "./jobs.js";

/** Sends the weekly check-in invitations members opted in to. */
export function checkInJobs(_deps: JobDependencies): Job[] {
  return [];
}
