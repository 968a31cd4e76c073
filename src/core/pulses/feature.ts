import type { Feature } from "../feature.js";
import { pulseVerbs } from "./verbs.js";

/** Pulse questions on the principles: the question bank, rounds, anonymous answers and results. */
export const pulses: Feature = {
  verbs: pulseVerbs,
  commands: {},
  forms: {},
  memberData: [],
};
