import type { VerbInfo } from "../kernel/verbs.js";

export const checkInVerbs: readonly VerbInfo[] = [
  { verb: "checkin", usage: "checkin", summary: "A private moment to reflect: how are you arriving today? Only you ever see it.", who: "anyone" },
  { verb: "checkin history", usage: "checkin history", summary: "Your last check-ins and how they've been going. Only you see this.", who: "anyone" },
  { verb: "checkin weekly", usage: "checkin weekly [off]", summary: "A weekly invitation to check in, on the day and time you choose (or stop it).", who: "anyone" },
  { verb: "checkin later", usage: "checkin later", summary: "Leave the check-in for now.", who: "anyone", hidden: true },
  { verb: "checkin stats", usage: "checkin stats", summary: "How many check-ins there were in the last 4 weeks and how people arrived: counts only, never text.", who: "coordinators" },
];
