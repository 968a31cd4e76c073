import type { Feature } from "../kernel/feature.js";
import { membershipHome } from "./membership-home.js";
import { joinForm, submitJoin } from "./join-network.js";
import { linkPlatform } from "./link-platform.js";
import { listPrinciples } from "./list-principles.js";
import { membershipData } from "./member-data.js";
import { setRole } from "./set-role.js";
import { showProfile } from "./show-profile.js";
import { membershipVerbs } from "./verbs.js";

/** Joining, your profile, linking Slack and Teams, the principles, and coordinators' roles. */
export const membership: Feature = {
  name: "membership",
  verbs: membershipVerbs,
  commands: {
    join: (request) => joinForm(request),
    me: showProfile,
    principles: listPrinciples,
    link: linkPlatform,
    role: setRole,
  },
  forms: { join: { who: "anyone", submit: submitJoin } },
  memberData: membershipData,
  synonyms: { profile: "me", principle: "principles" },
  home: membershipHome,
};
