import type { Feature } from "../feature.js";
import { reportVerbs } from "./verbs.js";

/** Organisations, pledges, reporting cycles, milestone reports and their nudges. */
export const reports: Feature = {
  verbs: reportVerbs,
  commands: {},
  forms: {},
  memberData: [],
};
