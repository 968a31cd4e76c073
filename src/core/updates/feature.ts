import type { Feature } from "../kernel/feature.js";
import { updateData } from "./member-data.js";
import { shareUpdate, submitUpdateForm } from "./submit-update.js";
import { updateVerbs } from "./verbs.js";

/** Champions' updates: a piece of trauma-informed work, tagged with the principles it shows. */
export const updates: Feature = {
  name: "updates",
  verbs: updateVerbs,
  commands: { update: shareUpdate },
  forms: { update: { who: "anyone", submit: submitUpdateForm } },
  memberData: updateData,
  synonyms: { post: "update", share: "update" },
};
