import type { Feature } from "../kernel/feature.js";
import { weeklySlot } from "../kernel/job.js";
import { resumeDigest, showDigest, stopDigest } from "./digest-choice.js";
import { digestVerbs } from "./verbs.js";
import { sendWeeklyDigest } from "./weekly-digest.js";

/** The weekly "what the network did" digest: counts by principle, recent updates, new organisations, the next event. */
export const digest: Feature = {
  name: "digest",
  verbs: digestVerbs,
  commands: { digest: showDigest, "digest stop": stopDigest, "digest on": resumeDigest },
  forms: {},
  memberData: [],
  synonyms: { weekly: "digest" },
  jobs: (ctx) => [
    {
      id: "digest-weekly",
      cron: "0 9 * * 1",
      slot: weeklySlot,
      run: async ({ slot, at }) => {
        const { queued, quiet } = await sendWeeklyDigest(ctx, slot, at);
        return quiet ? "a quiet week: no digest sent" : `digest queued to ${queued} members`;
      },
    },
  ],
};
