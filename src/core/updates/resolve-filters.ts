import type { CoreContext } from "../kernel/context.js";
import { sectorLabels, type sectors, updateKindLabels, type updateKinds } from "../kernel/labels.js";
import { parsePeriod, type Period } from "../kernel/period.js";
import { readFilterText, readingsOf, writeFilterText, type FilterKey, type TypedFilters } from "./feed-filters.js";
import { normaliseName, tagPrinciples } from "./hashtags.js";

type Sector = (typeof sectors)[number];
type UpdateKind = (typeof updateKinds)[number];
interface Named {
  id: string;
  name: string;
}

/** The feed's filters, each looked up in the network. Within a kind any may match; across kinds, all must. */
export interface FeedFilters {
  principles: Named[];
  organisations: Named[];
  sectors: Sector[];
  localities: string[];
  kinds: UpdateKind[];
  period?: Period;
  /** When an organisation, sector or locality was asked for: the organisations that fit all of them (perhaps none). */
  organisationIds?: string[];
  /** The filters written as they would be typed (`#safety org:"Riverside Housing" this month`): what paging buttons carry. */
  text: string;
}

export type FilterReading = { filters: FeedFilters } | { problems: string[] };

interface Organisation extends Named {
  sector: Sector;
  locality: string | null;
}

interface NetworkNames {
  principles: Named[];
  organisations: Organisation[];
  localities: string[];
}

interface Found {
  principles: Map<string, Named>;
  organisations: Map<string, Named>;
  sectors: Set<Sector>;
  localities: Set<string>;
  kinds: Set<UpdateKind>;
  periods: string[];
}

type Category = Exclude<FilterKey, "period"> | "principle";

const sectorAliases: Readonly<Record<string, Sector>> = {
  nhs: "health",
  council: "local_authority",
  la: "local_authority",
  school: "education",
  schools: "education",
  charity: "voluntary_community",
  vcse: "voluntary_community",
};

const examples: Readonly<Record<FilterKey, string>> = {
  organisation: "org:Riverside",
  sector: "sector:housing",
  locality: "in:Kirklees",
  kind: "kind:reflection",
  period: "period:this month",
};

const typedAs = (category: Category, value: string) =>
  category === "principle" ? `#${value.replace(/\s+/g, "-").toLowerCase()}` : `${examples[category].split(":")[0]}:${/\s/.test(value) ? `"${value}"` : value}`;
const shown = (value: string) => `"${value.length > 60 ? `${value.slice(0, 59)}…` : value}"`;
const either = (names: readonly string[], conjunction = "or") => (names.length > 1 ? `${names.slice(0, -1).join(", ")} ${conjunction} ${names.at(-1)}` : (names[0] ?? ""));

/**
 * Reads what someone typed after `updates` and looks each filter up in the network: principles by
 * hashtag, organisations and localities by name (a start of one will do), sectors and kinds by name.
 * Anything that can't be used is a problem, said kindly; nothing is searched until there are none.
 */
export async function resolveFilters(ctx: CoreContext, typed: string, now = ctx.now()): Promise<FilterReading> {
  const read = readFilterText(typed);
  const [principles, organisations] = await Promise.all([
    ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: { id: true, name: true, sector: true, locality: true } }),
  ]);
  const localities = [...new Set(organisations.flatMap((organisation) => (organisation.locality ? [organisation.locality] : [])))].sort();
  const network: NetworkNames = { principles, organisations, localities };
  const found: Found = { principles: new Map(), organisations: new Map(), sectors: new Set(), localities: new Set(), kinds: new Set(), periods: [] };
  const problems: string[] = [];

  const tagged = tagPrinciples(read.hashtags.join(" "), principles);
  for (const principle of tagged.principles) found.principles.set(principle.id, principle);
  for (const tag of tagged.unknown) problems.push(`${tag} isn't one of the network's principles (${principles.map((principle) => principle.name).join(", ")}).`);

  const loose = [...read.loose];
  for (const named of read.named) {
    const problem = readNamed(named, network, found, loose);
    if (problem) problems.push(problem);
  }
  for (const run of loose) {
    const problem = readLoose(run, network, found);
    if (problem) problems.push(problem);
  }

  let period: Period | undefined;
  if (found.periods.length > 1) problems.push(`Please give one period at a time; I read ${either(found.periods.map(shown), "and")}.`);
  else if (found.periods[0]) {
    const parsed = parsePeriod(found.periods[0].replace(/\s*(-|to|until)\s*(?=\d)/i, " $1 "), ctx.timeZone, now);
    if ("problem" in parsed) problems.push(parsed.problem);
    else period = parsed.period;
  }
  if (problems.length > 0) return { problems };

  const chosen = {
    principles: principles.filter((principle) => found.principles.has(principle.id)),
    organisations: [...found.organisations.values()],
    sectors: [...found.sectors],
    localities: [...found.localities],
    kinds: [...found.kinds],
  };
  const organisationIds = organisationsFitting(chosen, organisations);
  const text = writeFilterText({
    ...chosen,
    principles: chosen.principles.map((principle) => principle.name),
    organisations: chosen.organisations.map((organisation) => organisation.name),
    period: found.periods[0]?.toLowerCase(),
  });
  return { filters: { ...chosen, ...(period ? { period } : {}), ...(organisationIds ? { organisationIds } : {}), text } };
}

/** `org:Riverside Housing`: kept in `found`, or the problem with it. Unquoted, the value may have run on into other words. */
function readNamed({ key, value, quoted, typed }: TypedFilters["named"][number], network: NetworkNames, found: Found, loose: string[]): string | undefined {
  if (!value) return `${typed.trim()} needs something after it, like ${examples[key]}.`;
  if (key === "period") {
    found.periods.push(value);
    return undefined;
  }
  const words = quoted ? [value] : value.split(" ");
  const lengths = words.map((_, index) => words.length - index);
  const longest = lengths.map((length) => ({ length, ids: lookUp(network, key, words.slice(0, length).join(" "), false) })).find((match) => match.ids.length > 0);
  if (!longest) return notFound(key, value, network.localities);
  const problem = ambiguous(key, longest.ids);
  if (problem) return problem;
  keep(network, found, key, longest.ids);
  if (longest.length < words.length) loose.push(words.slice(longest.length).join(" "));
  return undefined;
}

/** A name on its own counts only when it is exactly one thing: `housing`, `Kirklees`, `Riverside Housing`. */
function readLoose(run: string, network: NetworkNames, found: Found): string | undefined {
  const categories = ["principle", "sector", "kind", "locality", "organisation"] as const;
  const readings = readingsOf(run).map((pieces) =>
    pieces.map((piece) => ({ piece, matches: categories.map((category) => ({ category, ids: lookUp(network, category, piece, true) })).filter((match) => match.ids.length > 0) })),
  );
  if (readings.length === 0) return undefined;
  const reading = readings.find((pieces) => pieces.length > 0 && pieces.every((piece) => piece.matches.length === 1));
  if (reading) {
    for (const { matches } of reading) keep(network, found, matches[0]!.category, matches[0]!.ids);
    return undefined;
  }
  const unclear = readings.flat().find((piece) => piece.matches.length > 1);
  if (unclear) return `${shown(unclear.piece)} could mean more than one thing: please say which, like ${either(unclear.matches.map((match) => typedAs(match.category, unclear.piece)))}.`;
  return `I didn't understand ${shown(run)}.`;
}

function lookUp({ principles, organisations, localities }: NetworkNames, category: Category, value: string, exactly: boolean): string[] {
  switch (category) {
    case "principle":
      return tagPrinciples(`#${value.replace(/\s+/g, "-")}`, principles).principles.map((principle) => principle.id);
    case "organisation":
      return byName(value, organisations, exactly).map((organisation) => organisation.id);
    case "locality":
      return byName(value, localities.map((name) => ({ id: name, name })), exactly).map((locality) => locality.id);
    case "sector":
      return oneOf(value, sectorLabels, exactly, sectorAliases);
    case "kind":
      return oneOf(value, updateKindLabels, exactly);
  }
}

function keep({ principles, organisations }: NetworkNames, found: Found, category: Category, ids: readonly string[]): void {
  for (const id of ids) {
    if (category === "principle") found.principles.set(id, principles.find((principle) => principle.id === id)!);
    if (category === "organisation") found.organisations.set(id, organisations.find((organisation) => organisation.id === id)!);
    if (category === "locality") found.localities.add(id);
    if (category === "sector") found.sectors.add(id as Sector);
    if (category === "kind") found.kinds.add(id as UpdateKind);
  }
}

/** Exactly the name; or, unless asked for exactly, every name starting with it, else containing it (three letters or more). */
function byName<T extends Named>(value: string, candidates: readonly T[], exactly: boolean): T[] {
  const wanted = normaliseName(value);
  if (!wanted) return [];
  const exact = candidates.filter((candidate) => normaliseName(candidate.name) === wanted);
  if (exact.length > 0 || exactly || wanted.length < 3) return exact;
  const starting = candidates.filter((candidate) => normaliseName(candidate.name).startsWith(wanted));
  return starting.length > 0 ? starting : candidates.filter((candidate) => normaliseName(candidate.name).includes(wanted));
}

/** A sector or kind by its name or its key (`local_authority`), a word people use for it, or a start of one. */
function oneOf<K extends string>(value: string, labels: Readonly<Record<K, string>>, exactly: boolean, aliases: Readonly<Record<string, K>> = {}): K[] {
  const alias = aliases[normaliseName(value)];
  if (alias) return [alias];
  const choices = (Object.keys(labels) as K[]).flatMap((key) => [{ id: key, name: labels[key] }, { id: key, name: key }]);
  return [...new Set(byName(value, choices, exactly).map((choice) => choice.id))];
}

function notFound(key: Exclude<FilterKey, "period">, value: string, localities: readonly string[]): string {
  switch (key) {
    case "organisation":
      return `I couldn't find an organisation called ${shown(value)} in the network.`;
    case "locality": {
      const known = localities.length > 12 ? `${localities.slice(0, 12).join(", ")} and ${localities.length - 12} more` : localities.join(", ");
      return `No organisation in the network is in ${shown(value)}.${known ? ` Localities so far: ${known}.` : ""}`;
    }
    case "sector":
      return `${shown(value)} isn't one of the sectors: ${Object.values(sectorLabels).join(", ")}.`;
    case "kind":
      return `${shown(value)} isn't a kind of update: ${Object.values(updateKindLabels).join(", ")}.`;
  }
}

/** Several organisations or localities are all meant; a sector or kind must be one. */
function ambiguous(key: Exclude<FilterKey, "period">, ids: readonly string[]): string | undefined {
  if (ids.length < 2 || key === "organisation" || key === "locality") return undefined;
  const labels: Readonly<Record<string, string>> = key === "sector" ? sectorLabels : updateKindLabels;
  return `That could be ${either(ids.map((id) => labels[id]!))}: please say which.`;
}

function organisationsFitting(filters: Pick<FeedFilters, "organisations" | "sectors" | "localities">, organisations: readonly Organisation[]): string[] | undefined {
  const tests: ((organisation: Organisation) => boolean)[] = [];
  if (filters.organisations.length > 0) tests.push((organisation) => filters.organisations.some((chosen) => chosen.id === organisation.id));
  if (filters.sectors.length > 0) tests.push((organisation) => filters.sectors.includes(organisation.sector));
  if (filters.localities.length > 0) tests.push((organisation) => organisation.locality !== null && filters.localities.includes(organisation.locality));
  if (tests.length === 0) return undefined;
  return organisations.filter((organisation) => tests.every((test) => test(organisation))).map((organisation) => organisation.id);
}

/** The filters in words, for the top of the feed: `Tagged Safety; from Riverside Housing; this month (1 Dec 2026 to 31 Dec 2026)`. */
export function describeFilters(filters: FeedFilters): string | undefined {
  const parts = [
    filters.principles.length > 0 ? `tagged ${either(filters.principles.map((principle) => principle.name))}` : "",
    filters.organisations.length > 0 ? `from ${either(filters.organisations.map((organisation) => organisation.name))}` : "",
    filters.sectors.length > 0 ? `in the ${either(filters.sectors.map((sector) => sectorLabels[sector]))} ${filters.sectors.length > 1 ? "sectors" : "sector"}` : "",
    filters.localities.length > 0 ? `in ${either(filters.localities)}` : "",
    filters.kinds.length > 0 ? `kind: ${either(filters.kinds.map((kind) => updateKindLabels[kind]))}` : "",
    filters.period?.label ?? "",
  ].filter(Boolean);
  if (parts.length === 0) return undefined;
  const words = parts.join("; ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
