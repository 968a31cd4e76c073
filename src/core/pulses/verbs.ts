import type { VerbInfo } from "../kernel/verbs.js";

export const pulseVerbs: readonly VerbInfo[] = [
  { verb: "pulse", usage: "pulse", summary: "Answer the open pulse question about our principles. Anonymous: your answer is stored without your name.", who: "anyone" },
  { verb: "pulse stop", usage: "pulse stop", summary: "Stop receiving pulse questions. You can still answer with pulse.", who: "anyone" },
  { verb: "pulse resume", usage: "pulse resume", summary: "Receive pulse questions again.", who: "anyone" },
  { verb: "pulse answer", usage: "pulse answer <round> <1-5>", summary: "Answer a pulse round with one tap.", who: "anyone", hidden: true },
  { verb: "pulse later", usage: "pulse later <round>", summary: "Leave a pulse question for now.", who: "anyone", hidden: true },
  { verb: "pulse start", usage: "pulse start [principle]", summary: "Open a pulse round now: the next principle in turn, or the one named.", who: "coordinators" },
  { verb: "pulse results", usage: "pulse results [round]", summary: "Pulse trends by principle over the last year, or one round's results. Only groups of five or more.", who: "coordinators" },
  { verb: "pulse questions", usage: "pulse questions", summary: "The pulse question bank, by principle.", who: "coordinators" },
  { verb: "pulse add", usage: "pulse add", summary: "Add a pulse question.", who: "coordinators" },
  { verb: "pulse edit", usage: "pulse edit <question>", summary: "Edit a pulse question.", who: "coordinators" },
  { verb: "pulse retire", usage: "pulse retire <question>", summary: "Stop asking a pulse question. Its past results stay.", who: "coordinators" },
];
