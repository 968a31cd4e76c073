import type { VerbInfo } from "../kernel/verbs.js";

export const digestVerbs: readonly VerbInfo[] = [
  { verb: "digest", usage: "digest", summary: "What the network did last week: the weekly digest, now.", who: "anyone" },
  { verb: "digest stop", usage: "digest stop", summary: "Stop the weekly digest.", who: "anyone" },
  { verb: "digest on", usage: "digest on", summary: "Get the weekly digest again.", who: "anyone" },
];
