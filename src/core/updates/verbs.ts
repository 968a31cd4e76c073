import type { VerbInfo } from "../kernel/verbs.js";

export const updateVerbs: readonly VerbInfo[] = [
  { verb: "update", usage: "update <what you did>", summary: "Share a piece of trauma-informed work. Tag principles with #safety, #choice…", who: "anyone" },
];
