import type { CoreContext, Requester } from "../kernel/context.js";
import { oneAddress, queueDeliveries } from "../kernel/outbox.js";
import { note, text, type Message } from "../kernel/view.js";

/** An update just shared with the network, as the channel shows it. */
export interface SharedUpdate {
  id: string;
  text: string;
  principles: readonly string[];
}

/**
 * Posts an update shared with the network to the network's Slack channel (TI_SLACK_UPDATES_CHANNEL),
 * through the delivery engine, once per update (its purpose key). The channel is an address of the
 * workspace the author wrote from, or, for someone on Teams, of the workspace Slack members last wrote
 * from. Nothing happens without a channel, or without any Slack workspace to post in.
 */
export async function postToUpdatesChannel(ctx: CoreContext, requester: Requester, update: SharedUpdate): Promise<void> {
  const channel = ctx.updatesChannel;
  if (!channel || !requester.member) return;
  const workspaceId =
    requester.address.platform === "slack"
      ? requester.address.workspaceId
      : (await ctx.prisma.address.findFirst({ where: { platform: "slack", memberId: { not: null } }, orderBy: { lastSeenAt: "desc" }, select: { workspaceId: true } }))?.workspaceId;
  if (!workspaceId) return;
  const address = await ctx.prisma.address.upsert({
    where: { platform_workspaceId_userId: { platform: "slack", workspaceId, userId: channel } },
    create: { platform: "slack", workspaceId, userId: channel, displayName: "the network's updates channel" },
    update: {},
  });
  await queueDeliveries(ctx, {
    purposeKey: `update-channel:${update.id}`,
    view: channelPost(requester, update),
    recipients: oneAddress({ addressId: address.id, memberId: null }),
    respectQuietHours: false,
  });
}

function channelPost({ member }: Requester, update: SharedUpdate): Message {
  const who = `${member!.displayName}${member!.organisationName ? `, ${member!.organisationName}` : ""}`;
  const tags = update.principles.length > 0 ? update.principles.join(", ") : "no principles tagged";
  return { type: "message", summary: `New update from ${who}`, blocks: [text(update.text), note(`${who} · ${tags}`)] };
}
