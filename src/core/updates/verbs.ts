import type { VerbInfo } from "../kernel/verbs.js";

export const updateVerbs: readonly VerbInfo[] = [
  { verb: "update", usage: "update <what you did>", summary: "Share a piece of trauma-informed work. Tag principles with #safety, #choice…", who: "anyone" },
  {
    verb: "updates",
    usage: "updates [filters]",
    summary:
      "What champions across the network have shared, newest first. On its own, a form to choose filters; or type them: " +
      "#safety, org:Riverside, sector:housing, in:Kirklees, kind:reflection, this month, since 01/09/2026.",
    who: "anyone",
  },
  {
    verb: "updates channel",
    usage: "updates channel [here|off]",
    summary: "Where each shared update is posted as it is shared. On Teams, type it in a channel, mentioning me, with \"here\" to post them there.",
    who: "coordinators",
    inShared: true,
  },
  { verb: "updates page", usage: "updates page <page>", summary: "Another page of the network's updates (the Previous and Next buttons).", who: "anyone", hidden: true },
];
