import type { CoreContext, Requester } from "../kernel/context.js";
import { oneAddress, queueDeliveries } from "../kernel/outbox.js";
import { note, text, type Message } from "../kernel/view.js";

/** An update just shared with the network, as the channel shows it. */
export interface SharedUpdate {
  id: string;
  text: string;
  principles: readonly string[];
}

/** What the caller already read in its own statement, so posting costs no further round trip. */
export interface KnownChannels {
  /** The network's Teams updates channel (`Network.teamsUpdatesAddressId`), null when none was chosen. */
  teamsAddressId: string | null;
}

/**
 * Posts an update shared with the network to the network's updates channels, through the delivery
 * engine, once per update and channel (its purpose key): the Slack channel (TI_SLACK_UPDATES_CHANNEL)
 * and the Teams channel a coordinator chose (`updates channel here`). Nothing happens without one.
 */
export async function postToUpdatesChannel(ctx: CoreContext, requester: Requester, update: SharedUpdate, known?: KnownChannels): Promise<void> {
  if (!requester.member) return;
  const teams = known ? (known.teamsAddressId ?? undefined) : await teamsChannel(ctx);
  const channels = [await slackChannel(ctx, requester), teams].filter((id) => id !== undefined);
  for (const addressId of channels) {
    await queueDeliveries(ctx, {
      purposeKey: `update-channel:${update.id}`,
      view: channelPost(requester, update),
      recipients: oneAddress({ addressId, memberId: null }),
      respectQuietHours: false,
    });
  }
}

/**
 * The Slack channel's address, in the workspace the author wrote from or, for someone on Teams, the
 * workspace Slack members last wrote from; none without the setting or any Slack workspace.
 */
async function slackChannel(ctx: CoreContext, requester: Requester): Promise<string | undefined> {
  const channel = ctx.updatesChannel;
  if (!channel) return undefined;
  const workspaceId =
    requester.address.platform === "slack"
      ? requester.address.workspaceId
      : (await ctx.prisma.address.findFirst({ where: { platform: "slack", memberId: { not: null } }, orderBy: { lastSeenAt: "desc" }, select: { workspaceId: true } }))?.workspaceId;
  if (!workspaceId) return undefined;
  const address = await ctx.prisma.address.upsert({
    where: { platform_workspaceId_userId: { platform: "slack", workspaceId, userId: channel } },
    create: { platform: "slack", workspaceId, userId: channel, displayName: "the network's updates channel" },
    update: {},
    select: { id: true },
  });
  return address.id;
}

async function teamsChannel(ctx: CoreContext): Promise<string | undefined> {
  const network = await ctx.prisma.network.findUnique({ where: { id: ctx.networkId }, select: { teamsUpdatesAddressId: true } });
  return network?.teamsUpdatesAddressId ?? undefined;
}

function channelPost({ member }: Requester, update: SharedUpdate): Message {
  const who = `${member!.displayName}${member!.organisationName ? `, ${member!.organisationName}` : ""}`;
  const tags = update.principles.length > 0 ? update.principles.join(", ") : "no principles tagged";
  return { type: "message", summary: `New update from ${who}`, blocks: [text(update.text), note(`${who} · ${tags}`)] };
}
