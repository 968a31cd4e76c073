import type { Prisma } from "../../db/generated/client.js";
import { command, type Request } from "../kernel/context.js";
import { joinFirst } from "../kernel/join-first.js";
import { trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { buttons, heading, message, note, text, type Block, type View } from "../kernel/view.js";
import { tagPrinciples } from "../updates/hashtags.js";
import { resourceInclude, resourceKinds, resourceLine, toResourceView, type ResourceKind } from "./resource-labels.js";
import type { TrainingLevel } from "./training-labels.js";

/** Resources a page shows: enough to browse, few enough to read in chat. */
export const resourcesPerPage = 15;

interface ResourceFilter {
  principles: { id: string; name: string }[];
  level?: TrainingLevel;
  kind?: ResourceKind;
  page: number;
  /** The filters as typed again, for the "More" button and for saying what was searched. */
  words: string[];
}

const kindPlurals: Record<ResourceKind, string> = { toolkit: "toolkits", video: "videos", policy: "policies", reading: "readings" };

const kindWords: Record<string, ResourceKind> = Object.fromEntries(resourceKinds.flatMap((kind) => [[kind, kind], [kindPlurals[kind], kind]]));

/**
 * `resources [#principle] [level] [kind]`: the library, newest first, a page at a time; every filter
 * given must match. Anything not understood is answered with what was typed and what can be typed.
 */
export async function listResources(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  if (!requester.member && !requester.isCoordinator) return joinFirst(request, "Resources");
  const platform = requester.address.platform;
  const principles = await ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { id: true, name: true } });
  const read = readFilter(interaction.text, principles);
  if ("problem" in read) {
    const examples = [`${command(platform, "resources")} #${principles[0]?.name.split(/\s+/)[0]?.toLowerCase() ?? "safety"}`, command(platform, "resources skilled"), command(platform, "resources toolkit")];
    return message(
      read.problem,
      text(read.problem),
      text(`You typed: ${command(platform, `resources ${interaction.text.trim()}`)}`),
      note(`You can search by a principle's hashtag, a level (${trainingLevels.map((level) => trainingLevelLabels[level]).join(", ")}) or a kind (toolkit, video, policy, reading), like ${examples.join(", ")}.`),
    );
  }
  const filter = read.filter;
  const where: Prisma.TrainingResourceWhereInput = {
    networkId: ctx.networkId,
    retiredAt: null,
    ...(filter.level ? { level: filter.level } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    AND: filter.principles.map((principle) => ({ principles: { some: { principleId: principle.id } } })),
  };
  const [total, found] = await Promise.all([
    ctx.prisma.trainingResource.count({ where }),
    ctx.prisma.trainingResource.findMany({ where, orderBy: { number: "desc" }, skip: (filter.page - 1) * resourcesPerPage, take: resourcesPerPage, include: resourceInclude }),
  ]);
  const searched = describeFilter(filter);
  if (total === 0) {
    const reply = searched ? `No resources in the library match ${searched} yet.` : "The network's resource library is empty for now.";
    const next = requester.isCoordinator ? `Add one with ${command(platform, "resource add")}.` : searched ? `${command(platform, "resources")} shows the whole library.` : "Coordinators add resources; they'll show here.";
    return message(reply, text(reply), note(next));
  }
  if (found.length === 0) return message(`There are only ${total} resources${searched ? ` matching ${searched}` : ""}, so there's no page ${filter.page}. ${command(platform, `resources ${filter.words.join(" ")}`.trim())} starts at the beginning.`);
  const first = (filter.page - 1) * resourcesPerPage + 1;
  const last = first + found.length - 1;
  const blocks: Block[] = [
    heading(searched ? `Resources: ${searched}` : "The network's resource library"),
    { type: "list", items: found.map((resource) => resourceLine(toResourceView(resource))) },
    note(`${total > found.length ? `Showing ${first} to ${last} of ${total}, newest first.` : `${total} ${total === 1 ? "resource" : "resources"}, newest first.`} Narrow it down with a principle's hashtag, a level or a kind, like ${command(platform, "resources skilled toolkit")}.`),
  ];
  if (last < total) blocks.push(buttons({ label: "More", verb: "resources", text: [...filter.words, "page", String(filter.page + 1)].join(" ") }));
  return message(`${total} ${total === 1 ? "resource" : "resources"}${searched ? ` matching ${searched}` : " in the library"}`, ...blocks);
}

function readFilter(typed: string, principles: readonly { id: string; name: string }[]): { filter: ResourceFilter } | { problem: string } {
  const filter: ResourceFilter = { principles: [], page: 1, words: [] };
  const tokens = typed.trim().toLowerCase().split(/\s+/).filter(Boolean);
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token === "page" && /^\d{1,4}$/.test(tokens[index + 1] ?? "")) {
      filter.page = Math.max(1, Number(tokens[++index]));
      continue;
    }
    if (token.startsWith("#")) {
      const tagged = tagPrinciples(token, principles);
      if (tagged.principles.length === 0) return { problem: `I don't know a principle called "${token.slice(0, 40)}". The network's principles are ${principles.map((principle) => principle.name).join(", ")}.` };
      filter.principles.push(...tagged.principles.filter((principle) => !filter.principles.some((chosen) => chosen.id === principle.id)));
    } else if ((trainingLevels as readonly string[]).includes(token)) {
      if (filter.level && filter.level !== token) return { problem: "Please choose one level at a time." };
      filter.level = token as TrainingLevel;
    } else if (kindWords[token]) {
      if (filter.kind && filter.kind !== kindWords[token]) return { problem: "Please choose one kind at a time." };
      filter.kind = kindWords[token];
    } else {
      return { problem: `I don't know "${token.slice(0, 40)}" as a principle, a level or a kind of resource.` };
    }
    filter.words.push(token);
  }
  return { filter };
}

/** `#Safety, Skilled, toolkits`; empty when nothing narrows the library. */
function describeFilter(filter: ResourceFilter): string {
  const parts = [
    ...filter.principles.map((principle) => `#${principle.name}`),
    ...(filter.level ? [trainingLevelLabels[filter.level]] : []),
    ...(filter.kind ? [kindPlurals[filter.kind]] : []),
  ];
  return parts.join(", ");
}
