import type { VerbInfo } from "../kernel/verbs.js";

export const eventVerbs: readonly VerbInfo[] = [
  { verb: "events", usage: "events", summary: "Upcoming network events, your answer, and buttons to change it.", who: "anyone" },
  { verb: "event new", usage: "event new", summary: "Plan a network event (once, or every six months) and invite people.", who: "coordinators" },
  { verb: "event edit", usage: "event edit <number>", summary: "Change an event; invitees who haven't declined are told once.", who: "coordinators" },
  { verb: "event cancel", usage: "event cancel <number>", summary: "Cancel an event; invitees who haven't declined are told once.", who: "coordinators" },
  { verb: "event export", usage: "event export <number>", summary: "A CSV of everyone's answers to an event.", who: "coordinators" },
  { verb: "event confirm", usage: "event confirm <number>", summary: "Confirm a drafted occurrence of a series and send its invites.", who: "coordinators", hidden: true },
  { verb: "event skip", usage: "event skip <number>", summary: "Skip a drafted occurrence of a series.", who: "coordinators", hidden: true },
  { verb: "event stop", usage: "event stop <number>", summary: "Stop a repeating event: no more are drafted.", who: "coordinators" },
  { verb: "event rsvp", usage: "event rsvp <number> going|maybe|declined", summary: "Answer an invite.", who: "anyone", hidden: true },
];
