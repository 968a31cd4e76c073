import { z } from "zod";
import type { CoreContext } from "../kernel/context.js";
import { sectorLabels, sectors } from "../kernel/labels.js";
import { parsePeriod, type Period } from "../kernel/period.js";
import type { FigureScope } from "./section.js";

/**
 * Where the dashboard is served. Its signed link covers this path and the expiry only, so the filters
 * ride along in the query: whoever holds an unexpired link may look at any part of the network's figures,
 * which is what the coordinator it was made for may do in chat anyway.
 */
export const dashboardPath = "/downloads/insights/dashboard";

/** How long a dashboard link works: a working day, so a link that is forwarded or pasted somewhere soon stops working. */
export const dashboardLinkMs = 8 * 3_600_000;

/**
 * A coordinator's link to the dashboard, signed for {@link dashboardLinkMs}, opening on the period they
 * typed (`insights last quarter`); undefined where the bot can't sign links.
 *
 * @example
 * dashboardLink(ctx, "last quarter") // https://ti.example.org/downloads/insights/dashboard?expires=…&signature=…&period=last+quarter
 */
export function dashboardLink(ctx: CoreContext, typedPeriod: string): string | undefined {
  const signed = ctx.links?.sign(dashboardPath, new Date(ctx.now().getTime() + dashboardLinkMs));
  return signed && typedPeriod ? `${signed}&${new URLSearchParams({ period: typedPeriod })}` : signed;
}

/** The filters as the dashboard's form sends them; a blank field is no filter. */
const blankIsMissing = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const id = z.string().regex(/^[\w-]{1,64}$/);
export const dashboardFilterFields = {
  period: z.preprocess(blankIsMissing, z.string().trim().max(80).optional()),
  organisation: z.preprocess(blankIsMissing, id.optional()),
  sector: z.preprocess(blankIsMissing, z.enum(sectors).optional()),
  locality: z.preprocess(blankIsMissing, z.string().trim().max(120).optional()),
  principle: z.preprocess(blankIsMissing, id.optional()),
};
export type DashboardFilterName = keyof typeof dashboardFilterFields;
export type DashboardFilters = { [Name in DashboardFilterName]?: string };

/** What the filters may be set to: the network's organisations, the sectors and localities they are in, its principles. */
export interface DashboardChoices {
  organisations: { id: string; name: string }[];
  sectors: { value: (typeof sectors)[number]; label: string }[];
  localities: string[];
  principles: { id: string; name: string }[];
}

/** A dashboard request read and checked: the period and scope to show, and what couldn't be used and why. */
export interface DashboardRequest {
  /** As given, so the form shows back what was typed, even when it couldn't be used. */
  filters: DashboardFilters;
  period: Period;
  scope: FigureScope;
  problems: { filter: DashboardFilterName; text: string }[];
  choices: DashboardChoices;
}

/**
 * Reads the dashboard's filters from its query. A filter that can't be used is left out with a kind word
 * about it, and the rest still apply; a period that can't be read falls back to this quarter.
 */
export async function readDashboardRequest(ctx: CoreContext, query: URLSearchParams): Promise<DashboardRequest> {
  const choices = await dashboardChoices(ctx);
  const filters: DashboardFilters = {};
  const problems: DashboardRequest["problems"] = [];
  const given = (name: DashboardFilterName) => {
    const raw = query.get(name) ?? undefined;
    if (raw !== undefined && raw.trim() !== "") filters[name] = raw.slice(0, 200);
    const parsed = dashboardFilterFields[name].safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  };
  const refuse = (filter: DashboardFilterName, text: string) => void problems.push({ filter, text });

  const typedPeriod = given("period");
  const parsed = filters.period && !typedPeriod ? { problem: "That period is longer than any I can read." } : parsePeriod(typedPeriod ?? "", ctx.timeZone, ctx.now());
  const period = "period" in parsed ? parsed.period : (parsePeriod("", ctx.timeZone, ctx.now()) as { period: Period }).period;
  if ("problem" in parsed) refuse("period", `${parsed.problem} Showing this quarter for now.`);

  const scope: FigureScope = {};
  const organisation = given("organisation");
  if (organisation && choices.organisations.some((choice) => choice.id === organisation)) scope.organisationId = organisation;
  else if (filters.organisation) refuse("organisation", "That organisation isn't in the network now, so every organisation is shown.");
  const sector = given("sector") as FigureScope["sector"];
  if (sector && choices.sectors.some((choice) => choice.value === sector)) scope.sector = sector;
  else if (filters.sector) refuse("sector", "No organisation is in that sector now, so every sector is shown.");
  const locality = given("locality");
  if (locality && choices.localities.includes(locality)) scope.locality = locality;
  else if (filters.locality) refuse("locality", "No organisation is in that locality now, so every locality is shown.");
  const principle = given("principle");
  if (principle && choices.principles.some((choice) => choice.id === principle)) scope.principleId = principle;
  else if (filters.principle) refuse("principle", "That principle isn't one of the network's now, so every principle is shown.");

  return { filters, period, scope, problems, choices };
}

/** What each filter may be set to, from the database. */
export async function dashboardChoices(ctx: CoreContext): Promise<DashboardChoices> {
  const [organisations, principles] = await Promise.all([
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: { id: true, name: true, sector: true, locality: true } }),
    ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
  ]);
  const used = new Set(organisations.map((organisation) => organisation.sector));
  return {
    organisations: organisations.map(({ id, name }) => ({ id, name })),
    sectors: sectors.filter((sector) => used.has(sector)).map((value) => ({ value, label: sectorLabels[value] })),
    localities: [...new Set(organisations.flatMap((organisation) => (organisation.locality ? [organisation.locality] : [])))].sort((a, b) => a.localeCompare(b)),
    principles,
  };
}

/**
 * The scope in words, for the page and its title: `Health organisations in Calderdale, updates tagged Safety`, or `the whole network`.
 *
 * @example
 * describeScope({ sector: "health" }, choices) // "Health organisations"
 */
export function describeScope(scope: FigureScope, choices: DashboardChoices): string {
  const organisation = choices.organisations.find((choice) => choice.id === scope.organisationId)?.name;
  const principle = choices.principles.find((choice) => choice.id === scope.principleId)?.name;
  const picked = [
    organisation ?? (scope.sector ? `${sectorLabels[scope.sector]} organisations` : scope.locality ? "Organisations" : undefined),
    organisation && scope.sector ? `(${sectorLabels[scope.sector]})` : undefined,
    scope.locality ? `in ${scope.locality}` : undefined,
  ].filter(Boolean);
  const parts = [picked.length > 0 ? picked.join(" ") : "the whole network", principle ? `updates tagged ${principle}` : undefined];
  return parts.filter(Boolean).join(", ");
}
