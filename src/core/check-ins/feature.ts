import type { Feature } from "../kernel/feature.js";
import { checkInJobs } from "./jobs.js";
import { checkInSettingsFrom } from "./settings.js";
import { showCheckInHistory } from "./check-in-history.js";
import { showCheckInStats } from "./check-in-stats.js";
import { checkInMemberData } from "./member-data.js";
import { checkInLater, startCheckIn, submitCheckIn } from "./take-check-in.js";
import { checkInVerbs } from "./verbs.js";
import { chooseWeeklyCheckIn, submitWeeklyCheckIn } from "./weekly-invitation.js";

/** Private reflective check-ins, seen only by the member who takes them. */
export const checkIns: Feature = {
  name: "check-ins",
  help: { area: "checkins", title: "Check-ins" },
  verbs: checkInVerbs,
  commands: {
    checkin: startCheckIn,
    "checkin history": showCheckInHistory,
    "checkin weekly": chooseWeeklyCheckIn,
    "checkin later": checkInLater,
    "checkin stats": showCheckInStats,
  },
  forms: { checkin: { who: "anyone", submit: submitCheckIn }, "checkin weekly": { who: "anyone", submit: submitWeeklyCheckIn } },
  memberData: checkInMemberData,
  synonyms: { "check-in": "checkin", checkins: "checkin", reflect: "checkin" },
  jobs: checkInJobs,
  settings: checkInSettingsFrom,
  home: async ({ requester }) => (requester.member ? { actions: [{ label: "Check in", verb: "checkin" }] } : {}),
};
