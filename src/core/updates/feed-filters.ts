/**
 * The words that narrow the updates feed, as people type them after `updates`. Read here, looked up
 * against the network in `resolve-filters.ts`.
 *
 * - a principle's hashtag: `#safety`, `#cultural`
 * - `org:Riverside`, `sector:housing`, `in:Kirklees` (locality), `kind:reflection`; a value of several
 *   words runs to the next filter, or goes in quotes: `org:"Riverside Housing"`
 * - a period: `this month`, `last month`, `this quarter`, `since 01/09/2026`, `01/09/2026 to 30/11/2026`
 * - a name on its own, when it is exactly one principle, sector, kind, locality or organisation:
 *   `housing`, `Kirklees`, `from Riverside Housing`
 *
 * @example
 * readFilterText('#safety org:"Riverside Housing" this month')
 * // { hashtags: ["#safety"], named: [{ key: "organisation", value: "Riverside Housing" }, { key: "period", value: "this month" }], loose: [], all: false }
 */

export type FilterKey = "organisation" | "sector" | "locality" | "kind" | "period";

export interface TypedFilters {
  hashtags: string[];
  /** `org:Riverside Housing`: the key, its value, and whether the value was in quotes (so exactly what is meant). */
  named: { key: FilterKey; value: string; quoted: boolean; typed: string }[];
  /** Runs of words with no key, to be matched by name. */
  loose: string[];
  /** `all` or `everything`: no filter, said out loud. */
  all: boolean;
}

/** Longest filter text read; anything typed is far shorter. */
export const filterTextLimit = 1000;

const keyWords: Readonly<Record<string, FilterKey>> = {
  org: "organisation",
  organisation: "organisation",
  organization: "organisation",
  sector: "sector",
  in: "locality",
  locality: "locality",
  area: "locality",
  kind: "kind",
  type: "kind",
  period: "period",
  when: "period",
};

const keyPattern = new RegExp(`^(${Object.keys(keyWords).join("|")})\\s*:\\s*`, "i");
const hashtagPattern = /^#[\p{L}\p{N}][\p{L}\p{N}_-]*/u;
const date = String.raw`\d{1,2}/\d{1,2}/\d{4}`;
const periodPattern = new RegExp(
  `^(?:(?:this|last) (?:month|quarter|year)|last 12 months|past year|since ${date}|(?:from )?${date}(?: ?(?:-|to|until) ?${date})?)(?=[\\s,;]|$)`,
  "i",
);
const quotedPattern = /^(?:"([^"]*)"?|“([^”]*)”?)/;
const separators = /^[\s,;]+/;
/** Words around a name that say nothing by themselves: `from Riverside Housing`, `about #safety`. */
const fillerWords = new Set(["from", "in", "at", "about", "tagged", "with", "on", "for", "by", "the", "and", "or", "of", "show", "me"]);

export function readFilterText(typed: string): TypedFilters {
  const filters: TypedFilters = { hashtags: [], named: [], loose: [], all: false };
  let rest = typed.replace(/\s+/g, " ").trim().replace(separators, "");
  let run: string[] = [];
  const endRun = () => {
    const words = run.join(" ");
    run = [];
    if (/^(all|everything)$/i.test(words)) filters.all = true;
    else if (words && !words.split(" ").every((word) => fillerWords.has(word.toLowerCase()))) filters.loose.push(words);
  };
  const take = (length: number) => {
    const taken = rest.slice(0, length);
    rest = rest.slice(length).replace(separators, "");
    return taken;
  };

  while (rest) {
    const hashtag = hashtagPattern.exec(rest);
    const period = periodPattern.exec(rest);
    const key = keyPattern.exec(rest);
    if (hashtag || period || key) endRun();
    if (hashtag) {
      filters.hashtags.push(take(hashtag[0].length));
    } else if (period) {
      const value = take(period[0].length);
      filters.named.push({ key: "period", value, quoted: false, typed: value });
    } else if (key) {
      const name = keyWords[key[1]!.toLowerCase()]!;
      const start = take(key[0].length);
      const value = readValue(rest, name);
      filters.named.push({ key: name, value: value.value.trim(), quoted: value.quoted, typed: `${start}${rest.slice(0, value.length)}` });
      take(value.length);
    } else {
      const ended = /^[^\s,;]+([,;])?/.exec(rest)![0];
      run.push(take(ended.length).replace(/[,;]$/, ""));
      if (/[,;]$/.test(ended)) endRun();
    }
  }
  endRun();
  return filters;
}

/** A key's value: in quotes, a period for `period:`, or the words up to the next filter or comma. */
function readValue(rest: string, key: FilterKey): { value: string; length: number; quoted: boolean } {
  const quoted = quotedPattern.exec(rest);
  if (quoted) return { value: quoted[1] ?? quoted[2] ?? "", length: quoted[0].length, quoted: true };
  if (key === "period") {
    const period = periodPattern.exec(rest);
    if (period) return { value: period[0], length: period[0].length, quoted: false };
  }
  let length = 0;
  while (length < rest.length) {
    const ahead = rest.slice(length);
    if (/^[,;]/.test(ahead)) break;
    if (hashtagPattern.test(ahead) || keyPattern.test(ahead) || (key !== "period" && periodPattern.test(ahead))) break;
    const word = /^\S+?(?=[\s,;]|$)\s*/.exec(ahead)![0];
    length += word.length;
  }
  return { value: rest.slice(0, length), length, quoted: false };
}

/**
 * The ways a run of words without a key might name something, most likely first: as typed, without
 * the words around it (`from Riverside Housing`), then split at those words (`Riverside in Kirklees`).
 * None when the run is only such words.
 */
export function readingsOf(run: string): string[][] {
  const words = run.split(" ");
  const isFiller = (word: string) => fillerWords.has(word.toLowerCase());
  let start = 0;
  let end = words.length;
  while (start < end && isFiller(words[start]!)) start++;
  while (end > start && isFiller(words[end - 1]!)) end--;
  const pieces: string[][] = [[]];
  for (const word of words.slice(start, end)) {
    if (isFiller(word)) pieces.push([]);
    else pieces.at(-1)!.push(word);
  }
  if (start === end) return [];
  return [[run], [words.slice(start, end).join(" ")], pieces.filter((piece) => piece.length > 0).map((piece) => piece.join(" "))];
}

export interface FilterWords {
  principles: readonly string[];
  organisations: readonly string[];
  sectors: readonly string[];
  localities: readonly string[];
  kinds: readonly string[];
  period?: string;
}

/**
 * Filters written back as someone would type them, for the paging buttons and for "to see this again":
 * the form's choices become `#safety org:"Riverside Housing" this month`.
 */
export function writeFilterText(words: FilterWords): string {
  const slug = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
  const value = (name: string) => (/^[\p{L}\p{N}_-]+$/u.test(name) ? name : `"${name.replace(/["“”]/g, "")}"`);
  return [
    ...words.principles.map((name) => `#${slug(name)}`),
    ...words.organisations.map((name) => `org:${value(name)}`),
    ...words.sectors.map((name) => `sector:${value(name)}`),
    ...words.localities.map((name) => `in:${value(name)}`),
    ...words.kinds.map((name) => `kind:${value(name)}`),
    ...(words.period ? [words.period] : []),
  ].join(" ");
}

/** What `help` and a misunderstood filter show, so people can see the shape of it. */
export const filterExamples = ["#safety", "org:Riverside", "sector:housing", "in:Kirklees", "kind:reflection", "this month", "since 01/09/2026", "01/09/2026 to 30/11/2026"];
