import type { Feature } from "../kernel/feature.js";
import { chooseUpdatesChannel } from "./choose-updates-channel.js";
import { submitFeedForm } from "./feed-form.js";
import { listUpdates, pageUpdates } from "./list-updates.js";
import { updateData } from "./member-data.js";
import { updateSettingsFrom } from "./settings.js";
import { shareUpdate, submitUpdateForm } from "./submit-update.js";
import { updatesHome } from "./updates-home.js";
import { updateVerbs } from "./verbs.js";

/** Champions' updates: a piece of trauma-informed work, tagged with the principles it shows, and the network's feed of them. */
export const updates: Feature = {
  name: "updates",
  verbs: updateVerbs,
  commands: { update: shareUpdate, updates: listUpdates, "updates page": pageUpdates, "updates channel": chooseUpdatesChannel },
  forms: {
    update: { who: "anyone", submit: submitUpdateForm },
    updates: { who: "anyone", submit: submitFeedForm },
  },
  memberData: updateData,
  synonyms: { post: "update", share: "update", feed: "updates" },
  settings: updateSettingsFrom,
  home: updatesHome,
};
