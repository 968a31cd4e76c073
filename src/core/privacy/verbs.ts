import type { VerbInfo } from "../kernel/verbs.js";

export const privacyVerbs: readonly VerbInfo[] = [
  { verb: "privacy", usage: "privacy", summary: "What the bot keeps about you, why, who sees it and for how long.", who: "anyone" },
  { verb: "mydata", usage: "mydata", summary: "Everything the bot holds about you, and a file of all of it.", who: "anyone" },
  { verb: "leave", usage: "leave", summary: "Leave the network and erase your data. It asks first.", who: "anyone" },
  { verb: "leave confirm", usage: "leave confirm delete|keep", summary: "Leave now, deleting your updates or keeping them without your name.", who: "anyone", hidden: true },
  { verb: "leave stay", usage: "leave stay", summary: "Stay in the network after all.", who: "anyone", hidden: true },
  { verb: "audit", usage: "audit", summary: "The latest coordinator actions: who did what, to what, when.", who: "coordinators" },
  { verb: "audit export", usage: "audit export", summary: "The whole audit trail as a CSV.", who: "coordinators" },
];
