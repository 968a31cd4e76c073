export interface PrincipleName {
  id: string;
  name: string;
}

/** A name as people might type it, for matching: `Cultural consideration`, `#cultural-consideration` → `culturalconsideration`. */
export const normaliseName = (value: string) => value.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/**
 * Finds the principles an update's hashtags name, case-insensitively: `#safety`, `#Choice`,
 * `#cultural-consideration`, or a unique first word or start (`#cultural`, `#empower`).
 * Tags that name no principle are returned as `unknown` and stay in the text as typed.
 */
export function tagPrinciples<P extends PrincipleName>(text: string, principles: readonly P[]) {
  const tags = [...text.matchAll(/(?:^|[^\p{L}\p{N}&])#([\p{L}\p{N}][\p{L}\p{N}_-]*)/gu)].map((match) => match[1]!);
  const found = new Map<string, P>();
  const unknown: string[] = [];
  for (const tag of tags) {
    const principle = matchPrinciple(normaliseName(tag), principles);
    if (principle) found.set(principle.id, principle);
    else if (!unknown.includes(`#${tag}`)) unknown.push(`#${tag}`);
  }
  return { principles: [...found.values()], unknown };
}

function matchPrinciple<P extends PrincipleName>(tag: string, principles: readonly P[]): P | undefined {
  const exact = principles.find((principle) => normaliseName(principle.name) === tag);
  if (exact) return exact;
  const firstWord = principles.filter((principle) => normaliseName(principle.name.split(/\s+/)[0] ?? "") === tag);
  if (firstWord.length === 1) return firstWord[0];
  if (tag.length < 4) return undefined;
  const starts = principles.filter((principle) => normaliseName(principle.name).startsWith(tag));
  return starts.length === 1 ? starts[0] : undefined;
}
