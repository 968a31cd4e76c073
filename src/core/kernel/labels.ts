import type { Choice } from "./view.js";

export const roles = ["member", "champion", "coordinator"] as const;
export type Role = (typeof roles)[number];

export const trainingLevels = ["informed", "skilled", "enhanced", "specialist"] as const;
export const sectors = ["health", "education", "police", "housing", "local_authority", "voluntary_community", "other"] as const;
export const updateKinds = [
  "training_delivered",
  "practice_change",
  "policy_or_process",
  "event",
  "reflection",
  "challenge",
] as const;

export const roleLabels: Record<Role, string> = { member: "Member", champion: "Champion", coordinator: "Coordinator" };
export const trainingLevelLabels: Record<(typeof trainingLevels)[number], string> = {
  informed: "Informed",
  skilled: "Skilled",
  enhanced: "Enhanced",
  specialist: "Specialist",
};
export const sectorLabels: Record<(typeof sectors)[number], string> = {
  health: "Health",
  education: "Education",
  police: "Police",
  housing: "Housing",
  local_authority: "Local authority",
  voluntary_community: "Voluntary and community",
  other: "Other",
};
export const updateKindLabels: Record<(typeof updateKinds)[number], string> = {
  training_delivered: "Training delivered",
  practice_change: "Practice change",
  policy_or_process: "Policy or process",
  event: "Event",
  reflection: "Reflection",
  challenge: "Challenge",
};

export function choicesOf<K extends string>(labels: Record<K, string>, only?: readonly K[]): Choice[] {
  const keys = only ?? (Object.keys(labels) as K[]);
  return keys.map((value) => ({ value, label: labels[value] }));
}

export function formatDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone }).format(date);
}

/** `1 person`, `1,204 people`. */
export const people = (count: number) => `${count.toLocaleString("en-GB")} ${count === 1 ? "person" : "people"}`;
