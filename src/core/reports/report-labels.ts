import type { KeyActionStatus, Rag } from "../../db/generated/enums.js";

export const rags = ["red", "amber", "green"] as const satisfies readonly Rag[];
export const keyActionStatuses = ["not_started", "in_progress", "done"] as const satisfies readonly KeyActionStatus[];

/** RAG is information about where an organisation is, never a grade: the labels say so. */
export const ragLabels: Record<Rag, string> = {
  red: "Red: stuck or needs support",
  amber: "Amber: some progress, some hurdles",
  green: "Green: on track",
};
export const ragShort: Record<Rag, string> = { red: "Red", amber: "Amber", green: "Green" };

export const keyActionStatusLabels: Record<KeyActionStatus, string> = {
  not_started: "Not started yet",
  in_progress: "In progress",
  done: "Done",
};

/** The West Yorkshire trauma-informed maturity matrix: its domains and the three ratings. */
export const maturityDomains = ["strategic_support", "oversight", "conditions", "resourcing"] as const;
export type MaturityDomain = (typeof maturityDomains)[number];
export const maturityDomainLabels: Record<MaturityDomain, string> = {
  strategic_support: "Strategic support for trauma-informed change",
  oversight: "Steering group or oversight",
  conditions: "Conditions for implementation and relationships",
  resourcing: "System resourcing and coordination",
};
export const maturityLevels = ["consistently_present", "emerging", "not_present"] as const;
export type MaturityLevel = (typeof maturityLevels)[number];
export const maturityLevelLabels: Record<MaturityLevel, string> = {
  consistently_present: "Consistently present",
  emerging: "Emerging but inconsistent",
  not_present: "Not present",
};

/** How often cycles repeat, in months; 0 is a one-off. */
export const cadences = ["3", "6", "12", "0"] as const;
export const cadenceLabels: Record<(typeof cadences)[number], string> = {
  "3": "Quarterly",
  "6": "Every six months",
  "12": "Yearly",
  "0": "Just this once",
};
