import type { VerbInfo } from "../kernel/verbs.js";

export const broadcastVerbs: readonly VerbInfo[] = [
  { verb: "broadcast", usage: "broadcast", summary: "Send an announcement to the network or part of it, with a preview first.", who: "coordinators" },
  { verb: "broadcast status", usage: "broadcast status [number]", summary: "How the latest broadcast (or the one numbered) is going.", who: "coordinators" },
  { verb: "broadcast cancel", usage: "broadcast cancel [number]", summary: "Stop what hasn't been sent yet.", who: "coordinators" },
  { verb: "broadcast export", usage: "broadcast export [number]", summary: "A CSV of every recipient with status, reason, time and acknowledgement.", who: "coordinators" },
  {
    verb: "broadcast remind",
    usage: "broadcast remind [number]",
    summary: "One gentle reminder, in sending hours, to those asked to acknowledge a broadcast who haven't.",
    who: "coordinators",
  },
  { verb: "broadcast send", usage: "broadcast send <number>", summary: "Send a previewed broadcast.", who: "coordinators", hidden: true },
  { verb: "broadcast edit", usage: "broadcast edit <number>", summary: "Edit a previewed broadcast.", who: "coordinators", hidden: true },
  { verb: "broadcast discard", usage: "broadcast discard <number>", summary: "Discard a previewed broadcast.", who: "coordinators", hidden: true },
  { verb: "broadcast ack", usage: "broadcast ack <number> <choice>", summary: "Acknowledge a broadcast that asked for it.", who: "anyone", hidden: true },
  { verb: "reminders stop", usage: "reminders stop", summary: "No reminders about announcements you haven't answered (announcements still come).", who: "anyone", hidden: true },
  { verb: "reminders resume", usage: "reminders resume", summary: "Reminders about announcements you haven't answered, again.", who: "anyone", hidden: true },
  { verb: "unreachable", usage: "unreachable", summary: "Members the bot hasn't been able to reach for two weeks or more.", who: "coordinators" },
];
