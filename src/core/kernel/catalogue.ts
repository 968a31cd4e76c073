import type { Config } from "../../config.js";
import type { CoreContext, Request } from "./context.js";
import type { Download, Feature, FormEntry, Handler, HomeContribution } from "./feature.js";
import type { Job } from "./job.js";
import { identityData, type MemberDataPart } from "./member-data.js";
import type { VerbArea, VerbInfo } from "./verbs.js";

/** `help` is the kernel's own verb: it lists everyone else's. */
export const helpVerb: VerbInfo = { verb: "help", usage: "help", summary: "This list.", who: "anyone" };

/** `home` is the kernel's too: it gathers what every feature puts there. */
export const homeVerb: VerbInfo = { verb: "home", usage: "home", summary: "What's waiting for you, and what's new in the network.", who: "anyone" };

/** Words people type that mean `help`. */
const helpSynonyms: Readonly<Record<string, string>> = { "?": "help", start: "help", hello: "help", hi: "help" };

/**
 * Everything the features declare, joined once: what the bot routes, `help` lists, `mydata` exports and
 * `leave` erases, the scheduler runs and the HTTP server serves. Two features declaring the same verb,
 * form, job or synonym is a mistake, caught here at start-up.
 */
export interface Catalogue {
  /** Sections of `help`, in order: the network's, each feature's own, then coordinators'. */
  readonly areas: readonly VerbArea[];
  /** Every verb the bot knows, `help` included. */
  readonly verbs: readonly VerbInfo[];
  readonly commands: Readonly<Record<string, Handler>>;
  readonly forms: Readonly<Record<string, FormEntry>>;
  readonly synonyms: Readonly<Record<string, string>>;
  readonly downloads: readonly Download[];
  /** Every feature's rows about a member, in the order leaving erases them, the member and their addresses last. */
  readonly memberData: readonly MemberDataPart[];
  /** Every feature's scheduled jobs. */
  jobs(ctx: CoreContext): Job[];
  /** Every feature's settings from the configuration, for the core's context. */
  settings(config: Config): Partial<CoreContext>;
  /** Every feature's part of this person's home, in the features' order. */
  home(request: Request): Promise<HomeContribution[]>;
}

export function catalogue(features: readonly Feature[]): Catalogue {
  const verbs = [...features.flatMap((feature) => feature.verbs), homeVerb, helpVerb];
  const network = features.filter((feature) => !feature.help).flatMap((feature) => feature.verbs);
  const areas: VerbArea[] = [
    { area: "network", title: "You and the network", verbs: [...network.filter((entry) => entry.who === "anyone"), homeVerb, helpVerb] },
    ...features.flatMap((feature) => (feature.help ? [{ ...feature.help, verbs: feature.verbs }] : [])),
    { area: "coordinators", title: "Running the network", verbs: network.filter((entry) => entry.who === "coordinators") },
  ];
  const commands = joined("verb", features.map((feature) => feature.commands));
  const declared = new Set(verbs.map((entry) => entry.verb));
  for (const verb of Object.keys(commands)) {
    if (!declared.has(verb)) throw new Error(`"${verb}" has a handler but no verb in its feature's list, so nobody can say who may use it`);
  }
  return {
    areas,
    verbs,
    commands,
    forms: joined("form", features.map((feature) => feature.forms)),
    synonyms: joined("synonym", [helpSynonyms, ...features.map((feature) => feature.synonyms ?? {})]),
    downloads: features.flatMap((feature) => feature.downloads ?? []),
    memberData: [...features.flatMap((feature) => feature.memberData), ...identityData],
    jobs(ctx) {
      const jobs = features.flatMap((feature) => feature.jobs?.(ctx) ?? []);
      joined("job", jobs.map((job) => ({ [job.id]: job })));
      return jobs;
    },
    settings: (config) => Object.assign({}, ...features.map((feature) => feature.settings?.(config) ?? {})),
    home: (request) => Promise.all(features.map((feature) => feature.home?.(request) ?? Promise.resolve({}))),
  };
}

/** One record from many, refusing a key declared twice. */
function joined<T>(what: string, records: readonly Readonly<Record<string, T>>[]): Record<string, T> {
  const all: Record<string, T> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) {
      if (key in all) throw new Error(`the ${what} "${key}" is declared by two features`);
      all[key] = value;
    }
  }
  return all;
}
