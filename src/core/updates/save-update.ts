import { randomUUID } from "node:crypto";
import { command, type Request } from "../kernel/context.js";
import type { Platform } from "../kernel/interaction.js";
import type { updateKinds } from "../kernel/labels.js";
import { heading, note, text, type Block } from "../kernel/view.js";
import { tagPrinciples } from "./hashtags.js";
import { principleNames } from "./principle-names.js";
import { postToUpdatesChannel } from "./updates-channel.js";

export const updateTextLimit = 2000;

export interface UpdateInput {
  text: string;
  kind?: (typeof updateKinds)[number];
  principleIds: string[];
  link?: string;
  /** False keeps it on the author's profile only, out of the network's feed. Shared unless said. */
  sharedWithNetwork?: boolean;
}

export interface SavedUpdate {
  text: string;
  principles: string[];
  unknownTags: string[];
  organisation: string | null;
  sharedWithNetwork: boolean;
  /** True when this request had already been stored (a redelivery): nothing new was saved. */
  repeated: boolean;
}

/** Stores an update once per request, tagging the principles its hashtags name. */
export async function saveUpdate({ ctx, requester, interaction }: Request, input: UpdateInput): Promise<SavedUpdate> {
  const member = requester.member;
  if (!member) throw new Error("saveUpdate needs a member");
  const principles = await principleNames(ctx);
  const tagged = tagPrinciples(input.text, principles);
  const chosen = new Set([...input.principleIds, ...tagged.principles.map((principle) => principle.id)]);
  const sourceRef = interaction.requestId ? `${requester.address.platform}:${interaction.requestId}` : null;

  // One statement for the update and its principles; a redelivered request (same sourceRef) inserts nothing.
  // It also reads the network's Teams updates channel, which a new update is posted to, in the same round trip.
  const [inserted] = await ctx.sql<{ id: string; teamsUpdatesAddressId: string | null }>`
    WITH inserted AS (
      INSERT INTO "Update" ("id", "networkId", "authorId", "organisationId", "text", "kind", "link", "sourcePlatform", "sourceRef", "sharedWithNetwork", "createdAt")
      VALUES (${randomUUID()}, ${ctx.networkId}, ${member.id}, ${member.organisationId}, ${input.text}, ${input.kind ?? null}::"UpdateKind",
              ${input.link ?? null}, ${requester.address.platform}::"Platform", ${sourceRef}, ${input.sharedWithNetwork ?? true}, ${ctx.now()})
      ON CONFLICT ("sourceRef") DO NOTHING
      RETURNING "id"
    ), tagged AS (
      INSERT INTO "UpdatePrinciple" ("updateId", "principleId")
      SELECT inserted."id", principle FROM inserted, unnest(${[...chosen]}::text[]) AS principle
    )
    SELECT inserted."id", network."teamsUpdatesAddressId"
    FROM inserted LEFT JOIN "Network" network ON network."id" = ${ctx.networkId}`;

  if (inserted) {
    const names = principles.filter((principle) => chosen.has(principle.id)).map((principle) => principle.name);
    if (input.sharedWithNetwork ?? true) await postToUpdatesChannel(ctx, requester, { id: inserted.id, text: input.text, principles: names }, { teamsAddressId: inserted.teamsUpdatesAddressId });
    return {
      text: input.text,
      principles: names,
      unknownTags: tagged.unknown,
      organisation: member.organisationName,
      sharedWithNetwork: input.sharedWithNetwork ?? true,
      repeated: false,
    };
  }
  const stored = await ctx.prisma.update.findUniqueOrThrow({
    where: { sourceRef: sourceRef! },
    include: { organisation: true, principles: { include: { principle: true } } },
  });
  const storedIds = new Set(stored.principles.map((link) => link.principleId));
  return {
    text: stored.text,
    principles: principles.filter((principle) => storedIds.has(principle.id)).map((principle) => principle.name),
    unknownTags: tagged.unknown,
    organisation: stored.organisation?.name ?? null,
    sharedWithNetwork: stored.sharedWithNetwork,
    repeated: true,
  };
}

export function savedUpdateBlocks(saved: SavedUpdate, platform: Platform): Block[] {
  const blocks: Block[] = [
    heading(saved.repeated ? "Your update was already saved" : "Thanks, your update is saved"),
    text(saved.text),
    {
      type: "fields",
      fields: [
        { label: "Principles", value: saved.principles.length > 0 ? saved.principles.join(", ") : "None tagged" },
        { label: "Organisation", value: saved.organisation ?? "Not set" },
        { label: "Who sees it", value: saved.sharedWithNetwork ? "Everyone in the network" : "Only you, on your profile" },
      ],
    },
  ];
  if (saved.unknownTags.length > 0) {
    blocks.push(note(`${saved.unknownTags.join(", ")} ${saved.unknownTags.length === 1 ? "isn't" : "aren't"} one of the network's principles, so stayed as text. See ${command(platform, "principles")}.`));
  } else if (saved.principles.length === 0) {
    blocks.push(note(`Tip: tag principles with hashtags like #safety or #choice. ${command(platform, "principles")} lists them.`));
  }
  return blocks;
}
