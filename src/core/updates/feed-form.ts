import { z } from "zod";
import type { Request } from "../kernel/context.js";
import { fieldErrors, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { choicesOf, sectorLabels, updateKindLabels } from "../kernel/labels.js";
import { note, text, type Form, type View } from "../kernel/view.js";
import { writeFilterText } from "./feed-filters.js";
import { joinFirst, showFeed } from "./feed-page.js";

/** The periods the form offers; typed filters take any dates too. */
const periodChoices = [
  { value: "this month", label: "This month" },
  { value: "last month", label: "Last month" },
  { value: "this quarter", label: "This quarter" },
  { value: "last quarter", label: "Last quarter" },
  { value: "this year", label: "This year" },
  { value: "last 12 months", label: "The last 12 months" },
];

const chosen = z.string().max(200).optional();
const feedFormSchema = z.object({ principle: chosen, organisation: chosen, sector: chosen, locality: chosen, kind: chosen, period: chosen });
type FeedFormValues = z.infer<typeof feedFormSchema>;

/** A bare `updates`: a small form of filters, all optional, whose answer is the feed's first page. */
export async function feedForm({ ctx }: Request): Promise<Form> {
  const [principles, organisations] = await Promise.all([
    ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: { id: true, name: true, locality: true } }),
  ]);
  const localities = [...new Set(organisations.flatMap((organisation) => (organisation.locality ? [organisation.locality] : [])))].sort();
  return {
    type: "form",
    verb: "updates",
    title: "The network's updates",
    submitLabel: "Show updates",
    intro: [
      text("See what champions across the network have shared, newest first. Every filter is optional: leave them all empty to see everything."),
      note("Updates someone chose to keep on their profile only aren't shown. Next time you can type filters too, like updates #safety sector:housing this month."),
    ],
    inputs: [
      { type: "select", id: "principle", label: "Principle", options: principles.map((principle) => ({ value: principle.id, label: principle.name })), optional: true },
      ...(organisations.length > 0
        ? [{ type: "select" as const, id: "organisation", label: "Organisation", options: organisations.map((organisation) => ({ value: organisation.id, label: organisation.name })), optional: true }]
        : []),
      { type: "select", id: "sector", label: "Sector", options: choicesOf(sectorLabels), optional: true },
      ...(localities.length > 0 ? [{ type: "select" as const, id: "locality", label: "Locality", options: localities.map((locality) => ({ value: locality, label: locality })), optional: true }] : []),
      { type: "select", id: "kind", label: "Kind of update", options: choicesOf(updateKindLabels), optional: true },
      { type: "select", id: "period", label: "When", options: periodChoices, optional: true },
    ],
    context: {},
  };
}

/** The filter form sent back: every answer must be one it offered; then the first page, filtered. */
export async function submitFeedForm(request: Request): Promise<View> {
  const { requester, interaction } = request;
  if (!requester.member) return joinFirst(requester.address.platform);
  const values = interaction.form?.values ?? {};
  const form = await feedForm(request);
  const parsed = feedFormSchema.safeParse(Object.fromEntries(Object.keys(feedFormSchema.shape).map((id) => [id, single(values, id)])));
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (parsed.success) {
    for (const [id, value] of Object.entries(parsed.data)) {
      if (value !== undefined && !optionValues(form, id).has(value)) errors[id] = "Please choose from the list.";
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  return showFeed(request, filterTextOf(form, parsed.data));
}

/** The form's answers as typed filters, so the paging buttons carry them like any others. */
function filterTextOf(form: Form, answers: FeedFormValues): string {
  const label = (id: string, value: string | undefined) => {
    const input = form.inputs.find((candidate) => candidate.id === id);
    const option = input && (input.type === "select" || input.type === "multiselect") ? input.options.find((candidate) => candidate.value === value) : undefined;
    return option ? [option.label] : [];
  };
  return writeFilterText({
    principles: label("principle", answers.principle),
    organisations: label("organisation", answers.organisation),
    sectors: answers.sector ? [answers.sector] : [],
    localities: answers.locality ? [answers.locality] : [],
    kinds: answers.kind ? [answers.kind] : [],
    ...(answers.period ? { period: answers.period } : {}),
  });
}
