import { z } from "zod";
import type { TrainingCourse } from "../../db/generated/client.js";
import { fieldErrors, optionValues, single } from "../kernel/form-values.js";
import type { FormValues } from "../kernel/interaction.js";
import { choicesOf, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { note, text, type Form } from "../kernel/view.js";
import { trainingFormatLabels, trainingFormats } from "./training-labels.js";

export const courseTitleMax = 120;

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Please keep the ${label} to ${max} characters or fewer.`)
    .optional()
    .transform((value) => value || null);

const courseSchema = z.object({
  title: z.string({ error: "Please give the course a title." }).trim().min(1, "Please give the course a title.").max(courseTitleMax, `Please keep the title to ${courseTitleMax} characters or fewer.`),
  level: z.enum(trainingLevels, { error: "Please choose the level it trains people to." }),
  format: z.enum(trainingFormats, { error: "Please choose how it's delivered." }),
  provider: optionalText(120, "provider"),
  length: optionalText(60, "length"),
  link: z
    .url({ protocol: /^https$/, error: "Please give a full web address starting https://, or leave it empty." })
    .max(500, "Please keep the link to 500 characters or fewer.")
    .optional()
    .transform((value) => value ?? null),
});

export type CourseAnswers = z.output<typeof courseSchema>;

/** The course form: new, or prefilled from a course being edited (its number in the context). */
export function courseForm(course?: TrainingCourse): Form {
  return {
    type: "form",
    verb: "training course",
    title: course ? `Course #${course.number}` : "New course",
    submitLabel: course ? "Save" : "Add to the offer",
    intro: [
      text(course ? "Change what you need. The course keeps its number." : "Add a course to the network's training offer. Everyone who has joined can see the offer."),
      note("Members see the title, level, format, provider, length and link. Only the title, level and format are needed."),
    ],
    inputs: [
      { type: "text", id: "title", label: "Title", maxLength: courseTitleMax, value: course?.title ?? "", placeholder: "e.g. Trauma-informed practice: an introduction" },
      { type: "select", id: "level", label: "Level", options: choicesOf(trainingLevelLabels), ...(course ? { value: course.level } : {}), hint: "The level of the training offer it trains people to." },
      { type: "select", id: "format", label: "Format", options: choicesOf(trainingFormatLabels), ...(course ? { value: course.format } : {}) },
      { type: "text", id: "provider", label: "Provider", optional: true, maxLength: 120, value: course?.provider ?? "", hint: "Who runs it. Optional." },
      { type: "text", id: "length", label: "Length", optional: true, maxLength: 60, value: course?.length ?? "", hint: "Optional, in words: 2 hours, three half-days." },
      { type: "text", id: "link", label: "Link", optional: true, maxLength: 500, value: course?.link ?? "", placeholder: "https://…", hint: "Where to find out more or book. Optional; it must start https://" },
    ],
    context: course ? { course: String(course.number) } : {},
  };
}

/** Reads the course form back: every problem at once, keyed by input id, or the answers. */
export function readCourseForm(form: Form, values: FormValues): { errors: Record<string, string> } | { answers: CourseAnswers } {
  const parsed = courseSchema.safeParse({
    title: single(values, "title"),
    level: single(values, "level"),
    format: single(values, "format"),
    provider: single(values, "provider"),
    length: single(values, "length"),
    link: single(values, "link"),
  });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  for (const id of ["level", "format"]) {
    const value = single(values, id);
    if (value !== undefined && !optionValues(form, id).has(value)) errors[id] = "Please choose from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors };
  return { answers: parsed.data };
}
