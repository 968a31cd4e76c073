import type { VerbInfo } from "../kernel/verbs.js";

export const trainingVerbs: readonly VerbInfo[] = [
  { verb: "training", usage: "training", summary: "The network's training offer, by level, with links.", who: "anyone" },
  { verb: "training done", usage: "training done", summary: "Record training you've completed. Only you see your record; coordinators see counts.", who: "anyone" },
  { verb: "training mine", usage: "training mine", summary: "The training you've recorded, and your level.", who: "anyone" },
  { verb: "training level", usage: "training level <level>", summary: "Update your profile's level to the one your training shows.", who: "anyone", hidden: true },
  { verb: "training later", usage: "training later", summary: "Leave your level as it is for now.", who: "anyone", hidden: true },
  { verb: "training add", usage: "training add", summary: "Add a course to the network's training offer.", who: "coordinators" },
  { verb: "training edit", usage: "training edit <number>", summary: "Change a course in the training offer.", who: "coordinators" },
  { verb: "training retire", usage: "training retire <number>", summary: "Stop offering a course; records of people who did it stay.", who: "coordinators" },
  { verb: "training map", usage: "training map", summary: "Training levels and training done in the last 12 months, by organisation and sector: counts only.", who: "coordinators" },
];
