import type { z } from "zod";
import type { FormValues } from "./interaction.js";
import type { Form, Input } from "./view.js";

/** A single form value: an empty or blank answer counts as not given. */
export function single(values: FormValues, id: string): string | undefined {
  const value = values[id];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === "" ? undefined : first;
}

export function many(values: FormValues, id: string): string[] {
  const value = values[id];
  const list = Array.isArray(value) ? value : value ? value.split(",") : [];
  return list.map((item) => item.trim()).filter(Boolean);
}

/** The values a select or multi-select input offered, to check an answer is one of them. */
export function optionValues(form: Form, id: string): Set<string> {
  const input = form.inputs.find((candidate) => candidate.id === id);
  return new Set(input && input.type !== "text" ? input.options.map((option) => option.value) : []);
}

/** The first message zod gave for each input. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "");
    errors[key] ??= issue.message;
  }
  return errors;
}

/**
 * The same form again with what the person typed kept in every input and each error beside its input,
 * so nothing typed is lost when a submission is refused.
 */
export function withSubmission(form: Form, values: FormValues, errors: Record<string, string>): Form {
  const inputs = form.inputs.map((input): Input => {
    const error = errors[input.id];
    const withError = error ? { ...input, error } : input;
    switch (withError.type) {
      case "text":
        return { ...withError, value: single(values, input.id) ?? "" };
      case "select":
        return { ...withError, value: single(values, input.id) };
      case "multiselect":
        return { ...withError, values: many(values, input.id) };
    }
  });
  const known = new Set(form.inputs.map((input) => input.id));
  const stray = Object.entries(errors).filter(([key]) => !known.has(key)).map(([, message]) => message);
  return { ...form, inputs, ...(stray.length > 0 ? { problem: stray.join(" ") } : {}) };
}
