import { command, isBootstrapCoordinator, type Request } from "../kernel/context.js";
import { retentionDays } from "./settings.js";
import { myDataPath } from "./member-records.js";
import { formatDate, roleLabels, trainingLevelLabels } from "../kernel/labels.js";
import { buttons, formatted, heading, message, note, text, type Block, type Message } from "../kernel/view.js";

/** How long a `mydata` download link works. */
const linkMs = 60 * 60_000;

const platformName = (platform: string) => (platform === "slack" ? "Slack" : "Teams");
const counted = (count: number, one: string, many: string) => `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`;

/**
 * `mydata`: a readable summary of everything held about me, and a time-limited link to all of it as JSON.
 * Someone who hasn't joined sees the one thing held: what their platform told the bot when they wrote.
 */
export async function showMyData(request: Request): Promise<Message> {
  const { ctx, requester } = request;
  const platform = requester.address.platform;
  if (!requester.member) return notJoined(request);
  const member = await ctx.prisma.member.findUniqueOrThrow({
    where: { id: requester.member.id },
    include: {
      organisation: { select: { name: true } },
      addresses: { select: { platform: true, userId: true }, orderBy: { platform: "asc" } },
      _count: { select: { updates: true, deliveries: true, broadcasts: true, auditActions: true, auditMentions: true, linkCodes: true } },
    },
  });
  const counts = member._count;
  const bootstrap = member.addresses.some((address) => isBootstrapCoordinator(ctx, address));
  const held = [
    counted(counts.updates, "update you shared", "updates you shared"),
    `${counted(counts.deliveries, "record", "records")} of announcements sent to you (kept ${retentionDays(ctx).deliveries} days after sending)`,
    ...(counts.broadcasts > 0 ? [counted(counts.broadcasts, "announcement you wrote", "announcements you wrote")] : []),
    ...(counts.auditActions > 0 ? [counted(counts.auditActions, "audit trail entry for something you did as a coordinator", "audit trail entries for things you did as a coordinator")] : []),
    ...(counts.auditMentions > 0 ? [counted(counts.auditMentions, "audit trail entry about you (a role change)", "audit trail entries about you (role changes)")] : []),
    ...(counts.linkCodes > 0 ? [counted(counts.linkCodes, "link code", "link codes")] : []),
  ];
  const blocks: Block[] = [
    heading("What I hold about you"),
    {
      type: "fields",
      fields: [
        { label: "Name", value: member.displayName },
        { label: "Organisation", value: member.organisation?.name ?? "Not set" },
        { label: "Role", value: `${roleLabels[member.role]}${bootstrap ? " (coordinator through the bot's configuration)" : ""}` },
        { label: "Training level", value: member.trainingLevel ? trainingLevelLabels[member.trainingLevel] : "Not set" },
        { label: "Joined", value: formatDate(member.joinedAt, ctx.timeZone) },
        { label: "Accounts", value: member.addresses.map((address) => `${platformName(address.platform)} (${address.userId})`).join(", ") },
      ],
    },
    { type: "list", items: held },
  ];
  if (ctx.links) {
    const link = ctx.links.sign(myDataPath(member.id), new Date(ctx.now().getTime() + linkMs));
    blocks.push(
      formatted(`[Download everything I hold about you (JSON)](${link})`),
      note("The link works for an hour. Anyone with it can open the file, so please keep it to yourself."),
    );
  } else {
    blocks.push(note("A download of all of it needs the bot's web address (TI_PUBLIC_URL), which isn't set. Please ask a coordinator."));
  }
  blocks.push(
    text(`To leave the network and erase this, type ${command(platform, "leave")}. How it's all used: ${command(platform, "privacy")}.`),
    buttons({ label: "Privacy notice", verb: "privacy" }),
  );
  return message("What I hold about you", ...blocks);
}

async function notJoined({ ctx, requester }: Request): Promise<Message> {
  const platform = requester.address.platform;
  const address = await ctx.prisma.address.findUniqueOrThrow({ where: { id: requester.addressId } });
  return message(
    "You haven't joined, so I hold very little about you",
    text(
      `You haven't joined ${ctx.networkName}, so I hold no profile or updates for you. ` +
        `All I have is what ${platformName(platform)} told me when you wrote, so I can reply:`,
    ),
    {
      type: "fields",
      fields: [
        { label: "Platform", value: platformName(address.platform) },
        { label: platform === "slack" ? "Workspace" : "Tenant", value: address.workspaceId },
        { label: "Your id", value: address.userId },
        { label: "Name shown", value: address.displayName ?? "None" },
        { label: "First seen", value: formatDate(address.createdAt, ctx.timeZone) },
        ...(address.conversationRef ? [{ label: "To message you", value: `${platformName(platform)}'s reference to our chat` }] : []),
      ],
    },
    note(`How the bot uses data: ${command(platform, "privacy")}.`),
  );
}
