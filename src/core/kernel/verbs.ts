import type { Who } from "./authorise.js";
import { checkInVerbs } from "../check-ins/verbs.js";
import { eventVerbs } from "../events/verbs.js";
import { pulseVerbs } from "../pulses/verbs.js";
import { reportVerbs } from "../reports/verbs.js";

/** Every verb the bot knows, as `help` lists them, with who may use it (typed or pressed as a button). */
export interface VerbInfo {
  verb: string;
  usage: string;
  summary: string;
  who: Who;
  /** Reached from buttons, not typed: left out of `help`. */
  hidden?: boolean;
}

const coreVerbs: readonly VerbInfo[] = [
  { verb: "join", usage: "join", summary: "Join the network, or edit your profile.", who: "anyone" },
  { verb: "update", usage: "update <what you did>", summary: "Share a piece of trauma-informed work. Tag principles with #safety, #choice…", who: "anyone" },
  { verb: "me", usage: "me", summary: "Your profile and your latest updates.", who: "anyone" },
  { verb: "principles", usage: "principles", summary: "The network's principles and what they mean.", who: "anyone" },
  { verb: "link", usage: "link", summary: "Use the bot on both Slack and Teams as one member.", who: "anyone" },
  { verb: "privacy", usage: "privacy", summary: "What the bot keeps about you, why, who sees it and for how long.", who: "anyone" },
  { verb: "mydata", usage: "mydata", summary: "Everything the bot holds about you, and a file of all of it.", who: "anyone" },
  { verb: "leave", usage: "leave", summary: "Leave the network and erase your data. It asks first.", who: "anyone" },
  { verb: "leave confirm", usage: "leave confirm delete|keep", summary: "Leave now, deleting your updates or keeping them without your name.", who: "anyone", hidden: true },
  { verb: "leave stay", usage: "leave stay", summary: "Stay in the network after all.", who: "anyone", hidden: true },
  { verb: "help", usage: "help", summary: "This list.", who: "anyone" },
  {
    verb: "role",
    usage: "role @person coordinator|champion|member",
    summary: "Change someone's role in the network.",
    who: "coordinators",
  },
  {
    verb: "broadcast",
    usage: "broadcast",
    summary: "Send an announcement to the network or part of it, with a preview first.",
    who: "coordinators",
  },
  { verb: "broadcast status", usage: "broadcast status [number]", summary: "How the latest broadcast (or the one numbered) is going.", who: "coordinators" },
  { verb: "broadcast cancel", usage: "broadcast cancel [number]", summary: "Stop what hasn't been sent yet.", who: "coordinators" },
  { verb: "broadcast export", usage: "broadcast export [number]", summary: "A CSV of every recipient with status, reason and time.", who: "coordinators" },
  { verb: "broadcast send", usage: "broadcast send <number>", summary: "Send a previewed broadcast.", who: "coordinators", hidden: true },
  { verb: "broadcast edit", usage: "broadcast edit <number>", summary: "Edit a previewed broadcast.", who: "coordinators", hidden: true },
  { verb: "broadcast discard", usage: "broadcast discard <number>", summary: "Discard a previewed broadcast.", who: "coordinators", hidden: true },
  { verb: "unreachable", usage: "unreachable", summary: "Members the bot hasn't been able to reach for two weeks or more.", who: "coordinators" },
  { verb: "audit", usage: "audit", summary: "The latest coordinator actions: who did what, to what, when.", who: "coordinators" },
  { verb: "audit export", usage: "audit export", summary: "The whole audit trail as a CSV.", who: "coordinators" },
];

/** The verbs by area, as `help` groups them; `help <area>` shows one area. */
export const verbAreas: readonly { area: string; title: string; verbs: readonly VerbInfo[] }[] = [
  { area: "network", title: "You and the network", verbs: coreVerbs.filter((entry) => entry.who === "anyone") },
  { area: "events", title: "Network events", verbs: eventVerbs },
  { area: "reports", title: "Organisations and milestone reports", verbs: reportVerbs },
  { area: "pulses", title: "Pulse questions", verbs: pulseVerbs },
  { area: "checkins", title: "Check-ins", verbs: checkInVerbs },
  { area: "coordinators", title: "Running the network", verbs: coreVerbs.filter((entry) => entry.who === "coordinators") },
];

/** Every verb the bot knows. */
export const verbCatalogue: readonly VerbInfo[] = verbAreas.flatMap((area) => area.verbs);

export function findVerb(verb: string): VerbInfo | undefined {
  return verbCatalogue.find((entry) => entry.verb === verb);
}
