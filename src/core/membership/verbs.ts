import type { VerbInfo } from "../kernel/verbs.js";

export const membershipVerbs: readonly VerbInfo[] = [
  { verb: "join", usage: "join", summary: "Join the network, or edit your profile.", who: "anyone" },
  { verb: "me", usage: "me", summary: "Your profile and your latest updates.", who: "anyone" },
  { verb: "principles", usage: "principles", summary: "The network's principles and what they mean.", who: "anyone" },
  { verb: "link", usage: "link", summary: "Use the bot on both Slack and Teams as one member.", who: "anyone" },
  { verb: "role", usage: "role @person coordinator|champion|member", summary: "Change someone's role in the network.", who: "coordinators" },
];
