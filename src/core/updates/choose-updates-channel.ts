import type { Prisma } from "../../db/generated/client.js";
import { recordAudit } from "../kernel/audit.js";
import { command, type Request } from "../kernel/context.js";
import { message, note, text, type Message } from "../kernel/view.js";

/**
 * `updates channel [here|off]` (coordinators): where each update shared with the network is posted as it
 * is shared. Teams: typed in a channel, mentioning the bot, `here` makes that channel the network's
 * updates channel. Slack's is configured (TI_SLACK_UPDATES_CHANNEL). On its own, says where they go.
 */
export async function chooseUpdatesChannel(request: Request): Promise<Message> {
  const choice = request.interaction.text.trim().toLowerCase();
  if (choice === "here") return useThisChannel(request);
  if (choice === "off") return stopTeamsChannel(request);
  return showUpdatesChannels(request, choice ? `I can set the channel "here" or turn it "off"; I didn't understand "${choice.slice(0, 40)}".` : undefined);
}

async function useThisChannel(request: Request): Promise<Message> {
  const { ctx, requester, interaction } = request;
  const shared = interaction.shared;
  if (!shared || requester.address.platform !== "teams") {
    const how =
      requester.address.platform === "teams"
        ? `In the Teams channel where updates should go, mention me (type @ and my name) and then ${command("teams", "updates channel here")}.`
        : "On Slack the updates channel is set by whoever runs the bot (TI_SLACK_UPDATES_CHANNEL), with the bot invited to that channel.";
    return message("Choose the channel from the channel itself", text(how));
  }
  const name = shared.name ?? "a Teams channel";
  const conversationRef = shared.conversationRef as Prisma.InputJsonValue;
  const channel = await ctx.prisma.address.upsert({
    where: { platform_workspaceId_userId: { platform: "teams", workspaceId: requester.address.workspaceId, userId: shared.conversationId } },
    create: { platform: "teams", workspaceId: requester.address.workspaceId, userId: shared.conversationId, displayName: name, conversationRef },
    update: { displayName: name, conversationRef, active: true },
  });
  await ctx.prisma.network.update({ where: { id: ctx.networkId }, data: { teamsUpdatesAddressId: channel.id } });
  await recordAudit(request, { action: "updates.channel", subject: name, detail: "Teams updates channel set" });
  return message(
    "Updates will be posted here",
    text(`From now on, each update champions share with ${ctx.networkName} is posted in this channel as it is shared.`),
    note(`Updates someone keeps to their profile are never posted. To stop, type ${command("teams", "updates channel off")}.`),
  );
}

/** The Teams channel's address, when a coordinator chose one. */
async function teamsChannel(ctx: Request["ctx"]): Promise<{ displayName: string | null } | null> {
  const network = await ctx.prisma.network.findUniqueOrThrow({ where: { id: ctx.networkId }, select: { teamsUpdatesAddressId: true } });
  if (!network.teamsUpdatesAddressId) return null;
  return ctx.prisma.address.findUnique({ where: { id: network.teamsUpdatesAddressId }, select: { displayName: true } });
}

async function stopTeamsChannel(request: Request): Promise<Message> {
  const { ctx } = request;
  const channel = await teamsChannel(ctx);
  if (!channel) return showUpdatesChannels(request, "No Teams channel gets the updates, so there was nothing to stop.");
  await ctx.prisma.network.update({ where: { id: ctx.networkId }, data: { teamsUpdatesAddressId: null } });
  const name = channel.displayName ?? "the Teams channel";
  await recordAudit(request, { action: "updates.channel", subject: name, detail: "Teams updates channel stopped" });
  return message("Updates are no longer posted on Teams", text(`New updates won't be posted in ${name} any more. Those already there stay.`));
}

async function showUpdatesChannels({ ctx, requester }: Request, opening?: string): Promise<Message> {
  const channel = await teamsChannel(ctx);
  const platform = requester.address.platform;
  const slack = ctx.updatesChannel ? `Slack: the channel <#${ctx.updatesChannel}>.` : "Slack: none (whoever runs the bot can set TI_SLACK_UPDATES_CHANNEL).";
  const teams = channel
    ? `Teams: ${channel.displayName ?? "a channel"}.`
    : `Teams: none. In the channel you want, mention me and type ${command("teams", "updates channel here")}.`;
  return message(
    "Where shared updates are posted",
    ...(opening ? [text(opening)] : []),
    text(`Each update shared with the network is posted as it is shared in:\n${slack}\n${teams}`),
    note(`Updates kept to a profile are never posted. ${platform === "teams" ? `Stop the Teams channel with ${command("teams", "updates channel off")}.` : ""}`.trim()),
  );
}
