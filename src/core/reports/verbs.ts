import type { VerbInfo } from "../kernel/verbs.js";

export const reportVerbs: readonly VerbInfo[] = [
  { verb: "org", usage: "org", summary: "Your organisation: its pledge, key actions and champions.", who: "anyone" },
  { verb: "org actions", usage: "org actions", summary: "Champions: update your organisation's key actions.", who: "anyone" },
  { verb: "report", usage: "report", summary: "Champions: fill in or amend your organisation's milestone report. You can save a draft.", who: "anyone" },
  { verb: "orgs", usage: "orgs", summary: "Organisations in the network, with their pledges and key actions.", who: "coordinators" },
  { verb: "org add", usage: "org add", summary: "Add an organisation: sector, locality, pledge date and key actions.", who: "coordinators" },
  { verb: "org edit", usage: "org edit <name>", summary: "Edit an organisation, its key actions and champions.", who: "coordinators" },
  { verb: "cycle", usage: "cycle", summary: "Set the reporting cycle: due date, how often, which organisations.", who: "coordinators" },
  { verb: "reports", usage: "reports [cycle number]", summary: "This cycle's reports: submitted, draft, due or overdue, with RAG now and before.", who: "coordinators" },
  { verb: "reports export", usage: "reports export [cycle number]", summary: "Every field of a cycle's reports as a CSV, for a board pack.", who: "coordinators" },
  { verb: "report snooze", usage: "report snooze <request>", summary: "Remind me in a week.", who: "anyone", hidden: true },
  { verb: "report stop", usage: "report stop <request>", summary: "No more reminders about this report this cycle.", who: "anyone", hidden: true },
  { verb: "report handover", usage: "report handover <request>", summary: "Someone else is doing this report.", who: "anyone", hidden: true },
  { verb: "report handto", usage: "report handto <request> <member>", summary: "Hand the report to another champion.", who: "anyone", hidden: true },
];
