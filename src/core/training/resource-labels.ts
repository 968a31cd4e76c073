import { trainingLevelLabels } from "../kernel/labels.js";
import type { TrainingLevel } from "./training-labels.js";

export const resourceKinds = ["toolkit", "video", "policy", "reading"] as const;
export type ResourceKind = (typeof resourceKinds)[number];

export const resourceKindLabels: Record<ResourceKind, string> = {
  toolkit: "Toolkit",
  video: "Video",
  policy: "Policy",
  reading: "Reading",
};

/** A resource as the library lists it, with the principles it is tagged with. */
export interface ResourceView {
  number: number;
  title: string;
  link: string;
  kind: ResourceKind;
  level: TrainingLevel | null;
  principles: string[];
}

export const resourceInclude = { principles: { select: { principle: { select: { id: true, name: true, position: true } } } } } as const;

/** A stored resource with its principles in the network's order. */
export function toResourceView(resource: {
  number: number;
  title: string;
  link: string;
  kind: ResourceKind;
  level: TrainingLevel | null;
  principles: { principle: { name: string; position: number } }[];
}): ResourceView {
  const principles = [...resource.principles].sort((a, b) => a.principle.position - b.principle.position).map((tag) => tag.principle.name);
  return { number: resource.number, title: resource.title, link: resource.link, kind: resource.kind, level: resource.level, principles };
}

/** `#3 Safe spaces toolkit · Toolkit · Skilled · Safety, Choice · https://…` */
export function resourceLine(resource: ResourceView): string {
  const level = resource.level ? trainingLevelLabels[resource.level] : "any level";
  const principles = resource.principles.length > 0 ? resource.principles.join(", ") : null;
  return [`#${resource.number} ${resource.title}`, resourceKindLabels[resource.kind], level, principles, resource.link].filter(Boolean).join(" · ");
}
