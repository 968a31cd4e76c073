import type { VerbInfo } from "../kernel/verbs.js";

export const insightVerbs: readonly VerbInfo[] = [
  {
    verb: "insights",
    usage: "insights [membership|work|organisations|events|pulses|training] [this month|last quarter|since dd/mm/yyyy]",
    summary: "The network's figures and charts for a period: who is in it, the work by principle, organisations against their pledges, events, pulses, and training against targets with learning needs.",
    who: "coordinators",
  },
  {
    verb: "insights export",
    usage: "insights export [this quarter|last quarter|since dd/mm/yyyy]",
    summary: "A board pack (PDF) and the figures as a workbook (XLSX) for a period, at links that work for 8 hours.",
    who: "coordinators",
  },
];
