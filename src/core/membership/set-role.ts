import type { Prisma } from "../../db/generated/client.js";
import { recordAudit } from "../kernel/audit.js";
import { isBootstrapCoordinator, type Request } from "../kernel/context.js";
import { roleLabels, roles, type Role } from "../kernel/labels.js";
import { message, text, type Message } from "../kernel/view.js";

const usage = (request: Request) =>
  request.requester.address.platform === "slack" ? "/ti role @person coordinator|champion|member" : "role @person coordinator|champion|member";

/** `role @person coordinator|champion|member`, for coordinators: by mention, or by the member's name. */
export async function setRole(request: Request): Promise<Message> {
  const { ctx, interaction } = request;
  const words = interaction.text.trim().split(/\s+/).filter(Boolean);
  const roleWord = words.at(-1)?.toLowerCase();
  const role = roles.find((candidate) => candidate === roleWord || `${candidate}s` === roleWord) as Role | undefined;
  if (!role) {
    return message("Which role?", text(`Say who and which role, for example: ${usage(request)}`));
  }
  const found = await findTarget(request, words.slice(0, -1).join(" "));
  if ("problem" in found) return message(found.problem, text(found.problem));
  const target = found.member;

  if (target.role === role) return message(`${target.displayName} is already a ${roleLabels[role].toLowerCase()}.`);
  if (target.role === "coordinator") {
    const bootstrapped = target.addresses.some((address) => isBootstrapCoordinator(ctx, address));
    if (bootstrapped) {
      const reply = `${target.displayName} is a coordinator through the bot's configuration (TI_COORDINATORS), so their role is changed there.`;
      return message(reply);
    }
    const coordinators = await ctx.prisma.member.count({ where: { networkId: ctx.networkId, role: "coordinator", leftAt: null } });
    if (coordinators <= 1) {
      const reply = `${target.displayName} is the network's only coordinator. Make someone else a coordinator first.`;
      return message(reply);
    }
  }
  await ctx.prisma.member.update({ where: { id: target.id }, data: { role } });
  await recordAudit(request, { action: "role.change", subject: target.displayName, subjectMemberId: target.id, detail: `${target.role} → ${role}` });
  const reply = `${target.displayName} is now a ${roleLabels[role].toLowerCase()}.`;
  return message(reply);
}

const include = { addresses: { select: { platform: true, userId: true } } } as const;
type Target = Prisma.MemberGetPayload<{ include: typeof include }>;

async function findTarget({ ctx, interaction }: Request, named: string): Promise<{ member: Target } | { problem: string }> {
  const mention = interaction.mentions?.[0];
  if (mention) {
    const address = await ctx.prisma.address.findUnique({
      where: { platform_workspaceId_userId: { platform: mention.platform, workspaceId: mention.workspaceId, userId: mention.userId } },
      include: { member: { include } },
    });
    if (address?.member && !address.member.leftAt) return { member: address.member };
    return { problem: `${mention.displayName ?? "That person"} hasn't joined the network yet. They can join with "join".` };
  }
  const name = named.replace(/^@/, "").trim();
  if (!name) return { problem: "Who should I change? Mention them, or give the name they joined with." };
  const members = await ctx.prisma.member.findMany({
    where: { networkId: ctx.networkId, leftAt: null, displayName: { equals: name, mode: "insensitive" } },
    include,
    take: 5,
  });
  if (members.length === 1) return { member: members[0]! };
  if (members.length === 0) return { problem: `I couldn't find a member called "${name}". Check the name they joined with, or mention them.` };
  return { problem: `More than one member is called "${name}". Please mention the one you mean.` };
}
