import { z } from "zod";
import type { CoreContext } from "../kernel/context.js";
import { fieldErrors, many, optionValues, single } from "../kernel/form-values.js";
import type { FormValues } from "../kernel/interaction.js";
import { choicesOf, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { note, text, type Form } from "../kernel/view.js";
import { resourceKindLabels, resourceKinds, type ResourceKind } from "./resource-labels.js";
import type { TrainingLevel } from "./training-labels.js";

export const resourceTitleMax = 120;
export const resourceLinkMax = 500;
/** The level select's value for a resource that suits any level. */
const anyLevel = "any";

const resourceSchema = z.object({
  title: z
    .string({ error: "Please give the resource a title." })
    .trim()
    .min(1, "Please give the resource a title.")
    .max(resourceTitleMax, `Please keep the title to ${resourceTitleMax} characters or fewer.`),
  link: z
    .string({ error: "Please give its web address, starting https://" })
    .trim()
    .max(resourceLinkMax, `Please keep the link to ${resourceLinkMax} characters or fewer.`)
    .regex(/^\S*$/, "A web address has no spaces. Please check the link.")
    .pipe(z.url({ protocol: /^https$/, error: "Please give a full web address starting https:// (links must be secure)." })),
  kind: z.enum(resourceKinds, { error: "Please choose what kind of resource it is." }),
  level: z
    .enum([...trainingLevels, anyLevel], { error: "Please choose a level, or \"Any level\"." })
    .transform((value) => (value === anyLevel ? null : value)),
  principles: z.array(z.string()),
});

export interface ResourceAnswers {
  title: string;
  link: string;
  kind: ResourceKind;
  level: TrainingLevel | null;
  principleIds: string[];
}

/** What the form is prefilled with when a resource is edited. */
export interface ResourceDraft {
  number: number;
  title: string;
  link: string;
  kind: ResourceKind;
  level: TrainingLevel | null;
  principleIds: string[];
}

/** The resource form: new, or prefilled from a resource being edited (its number in the context). */
export async function resourceForm(ctx: CoreContext, resource?: ResourceDraft): Promise<Form> {
  const principles = await ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { id: true, name: true } });
  return {
    type: "form",
    verb: "resource",
    title: resource ? `Resource #${resource.number}` : "New resource",
    submitLabel: resource ? "Save" : "Add to the library",
    intro: [
      text(resource ? "Change what you need. The resource keeps its number." : "Add a toolkit, video, policy or reading to the network's resource library."),
      note("Everyone who has joined can find it with the resources command: its title, kind, level, principles and link. The title, link and kind are needed; the rest is optional."),
    ],
    inputs: [
      { type: "text", id: "title", label: "Title", maxLength: resourceTitleMax, value: resource?.title ?? "", placeholder: "e.g. Trauma-informed language toolkit" },
      { type: "text", id: "link", label: "Link", maxLength: resourceLinkMax, value: resource?.link ?? "", placeholder: "https://…", hint: "Where to find it. It must start https://" },
      { type: "select", id: "kind", label: "Kind", options: choicesOf(resourceKindLabels), ...(resource ? { value: resource.kind } : {}) },
      {
        type: "select",
        id: "level",
        label: "Level",
        options: [...choicesOf(trainingLevelLabels), { value: anyLevel, label: "Any level" }],
        value: resource ? (resource.level ?? anyLevel) : anyLevel,
        hint: "The training level it suits, or any level.",
      },
      {
        type: "multiselect",
        id: "principles",
        label: "Principles",
        optional: true,
        options: principles.map((principle) => ({ value: principle.id, label: principle.name })),
        values: resource?.principleIds ?? [],
        hint: "Which of the network's principles it helps with. Optional.",
      },
    ],
    context: resource ? { resource: String(resource.number) } : {},
  };
}

/** Reads the resource form back: every problem at once, keyed by input id, or the answers. */
export function readResourceForm(form: Form, values: FormValues): { errors: Record<string, string> } | { answers: ResourceAnswers } {
  const parsed = resourceSchema.safeParse({
    title: single(values, "title"),
    link: single(values, "link"),
    kind: single(values, "kind"),
    level: single(values, "level") ?? anyLevel,
    principles: many(values, "principles"),
  });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  for (const id of ["kind", "level", "principles"]) {
    const offered = optionValues(form, id);
    if (many(values, id).some((value) => !offered.has(value))) errors[id] = "Please choose from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors };
  const { principles, ...rest } = parsed.data;
  return { answers: { ...rest, principleIds: [...new Set(principles)] } };
}
