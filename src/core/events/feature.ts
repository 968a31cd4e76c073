import type { Feature } from "../feature.js";
import { eventVerbs } from "./verbs.js";

/** Network events: the six-monthly gathering, invites with RSVP, reminders and calendars. */
export const events: Feature = {
  verbs: eventVerbs,
  commands: {},
  forms: {},
  memberData: [],
};
