import type { Request } from "../kernel/context.js";
import { formatDate } from "../kernel/labels.js";
import { heading, message, note, text, type Message } from "../kernel/view.js";

/** How long without a reachable address before a member is listed. */
const unreachableDays = 14;

/**
 * `unreachable`, for coordinators: members the bot can't reach on any platform (they removed the app,
 * left their workspace, or blocked the bot) for two weeks or more, so someone can get in touch another way.
 */
export async function listUnreachable({ ctx }: Request): Promise<Message> {
  const since = new Date(ctx.now().getTime() - unreachableDays * 86_400_000);
  const members = await ctx.prisma.member.findMany({
    where: { networkId: ctx.networkId, leftAt: null, joinedAt: { lt: since }, addresses: { none: { active: true } } },
    include: { organisation: true, addresses: { orderBy: { lastSeenAt: "desc" }, take: 1 } },
    orderBy: { displayName: "asc" },
    take: 50,
  });
  if (members.length === 0) {
    const reply = "Everyone in the network can be reached on Slack or Teams.";
    return message(reply);
  }
  return message(
    `${members.length} ${members.length === 1 ? "member" : "members"} the bot can't reach`,
    heading("Members the bot can't reach"),
    text(`These members have had no reachable address on Slack or Teams for ${unreachableDays} days or more.`),
    {
      type: "list",
      items: members.map((member) => {
        const lastSeen = member.addresses[0]?.lastSeenAt;
        return `${member.displayName}${member.organisation ? `, ${member.organisation.name}` : ""}${lastSeen ? `: last seen ${formatDate(lastSeen, ctx.timeZone)}` : ""}`;
      }),
    },
    note("Messages won't reach them until they add the app again or write to the bot."),
  );
}
