import { command, type Request } from "../kernel/context.js";
import { formatDate, roleLabels, sectorLabels, trainingLevelLabels } from "../kernel/labels.js";
import { buttons, heading, message, note, text, type Block, type Message } from "../kernel/view.js";

const latestCount = 5;

/** `me`: my profile, where I'm linked, and my five latest updates. */
export async function showProfile({ ctx, requester }: Request): Promise<Message> {
  const platform = requester.address.platform;
  if (!requester.member) {
    return message(
      "You haven't joined the network yet.",
      text("You haven't joined the network yet, so there's no profile to show."),
      buttons({ label: "Join the network", verb: "join", style: "primary" }),
    );
  }
  const member = await ctx.prisma.member.findUniqueOrThrow({
    where: { id: requester.member.id },
    include: {
      organisation: true,
      addresses: { select: { platform: true } },
      trainingRecords: {
        orderBy: { completedOn: "desc" },
        take: 1,
        select: { completedOn: true, otherTitle: true, course: { select: { title: true } } },
      },
      _count: { select: { trainingRecords: true } },
      updates: {
        orderBy: { createdAt: "desc" },
        take: latestCount,
        include: { principles: { include: { principle: { select: { name: true, position: true } } } } },
      },
    },
  });
  const platforms = member.addresses.map((address) => (address.platform === "slack" ? "Slack" : "Teams")).sort();
  const blocks: Block[] = [
    heading(member.displayName),
    {
      type: "fields",
      fields: [
        { label: "Organisation", value: member.organisation?.name ?? "Not set" },
        ...(member.organisation
          ? [{ label: "Sector", value: sectorLabels[member.organisation.sector] }, { label: "Locality", value: member.organisation.locality ?? "Not set" }]
          : []),
        { label: "Role", value: roleLabels[requester.isCoordinator ? "coordinator" : member.role] },
        { label: "Training level", value: member.trainingLevel ? trainingLevelLabels[member.trainingLevel] : "Not set" },
        { label: "Training done", value: trainingDone(member._count.trainingRecords, member.trainingRecords[0]) },
        { label: "Joined", value: formatDate(member.joinedAt, ctx.timeZone) },
        { label: "On", value: platforms.join(" and ") },
      ],
    },
    heading(member.updates.length > 0 ? "Your latest updates" : "No updates yet"),
  ];
  if (member.updates.length > 0) {
    blocks.push({
      type: "list",
      items: member.updates.map((update) => {
        const tags = update.principles
          .map((link) => link.principle)
          .sort((a, b) => a.position - b.position)
          .map((principle) => principle.name);
        return `${formatDate(update.createdAt, ctx.timeZone)}: ${update.text}${tags.length > 0 ? ` (${tags.join(", ")})` : ""}${update.sharedWithNetwork ? "" : " [only on your profile]"}`;
      }),
    });
  } else {
    blocks.push(text(`Share your first with ${command(platform, "update <what you did>")}.`));
  }
  blocks.push(
    buttons({ label: "Edit profile", verb: "join" }, { label: "Share an update", verb: "update", style: "primary" }),
    note("Members and coordinators see your name, organisation and the updates you share with the network; updates kept to your profile are seen by you alone."),
  );
  return message(`${member.displayName}: your profile`, ...blocks);
}

/** `3 (latest: Trauma-informed supervision, 14 Dec 2026)`: the whole record is `training mine`. */
function trainingDone(
  count: number,
  latest: { completedOn: Date; otherTitle: string | null; course: { title: string } | null } | undefined,
): string {
  if (count === 0 || !latest) return "None recorded yet";
  const title = latest.course?.title ?? latest.otherTitle ?? "training";
  // A calendar day, stored at midnight UTC.
  return `${count} (latest: ${title}, ${formatDate(latest.completedOn, "UTC")})`;
}
