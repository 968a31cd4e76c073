import { trainingLevelLabels, trainingLevels } from "../kernel/labels.js";

export type TrainingLevel = (typeof trainingLevels)[number];

export const trainingFormats = ["online", "facilitated", "elearning"] as const;
export type TrainingFormat = (typeof trainingFormats)[number];

export const trainingFormatLabels: Record<TrainingFormat, string> = {
  online: "Online, live",
  facilitated: "Facilitated, in person",
  elearning: "E-learning, at your own pace",
};

/** Informed is 0, Specialist 3; no level at all is -1, below every level. */
export function levelRank(level: TrainingLevel | null | undefined): number {
  return level ? trainingLevels.indexOf(level) : -1;
}

export function levelLabel(level: TrainingLevel | null | undefined): string {
  return level ? trainingLevelLabels[level] : "not set";
}

/** The course as one line of the offer: `#3 Introduction to TIP · Online, live · NHS England · 2 hours · https://…`. */
export function courseLine(course: { number: number; title: string; format: TrainingFormat; provider: string | null; length: string | null; link: string | null }): string {
  return [`#${course.number} ${course.title}`, trainingFormatLabels[course.format], course.provider, course.length, course.link].filter(Boolean).join(" · ");
}
