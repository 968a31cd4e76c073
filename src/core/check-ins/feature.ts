import type { Feature } from "../feature.js";
import { checkInVerbs } from "./verbs.js";

/** Private reflective check-ins, seen only by the member who takes them. */
export const checkIns: Feature = {
  verbs: checkInVerbs,
  commands: {},
  forms: {},
  memberData: [],
};
