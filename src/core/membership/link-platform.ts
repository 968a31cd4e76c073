import { createHash, randomInt } from "node:crypto";
import { command, type Request } from "../kernel/context.js";
import { message, note, text, type Message } from "../kernel/view.js";

const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const codeLength = 6;
const codeMinutes = 15;

const hashCode = (code: string) => createHash("sha256").update(code).digest("hex");
const normaliseCode = (typed: string) => typed.toUpperCase().replace(/[^A-Z0-9]/g, "");
const platformName = (platform: string) => (platform === "slack" ? "Slack" : "Teams");

/**
 * `link` where I have joined gives a one-time code; `link <code>` on my other platform attaches that
 * address to the same membership.
 */
export async function linkPlatform(request: Request): Promise<Message> {
  const code = normaliseCode(request.interaction.text);
  return code ? redeemCode(request, code) : issueCode(request);
}

async function issueCode({ ctx, requester }: Request): Promise<Message> {
  const platform = requester.address.platform;
  const other = platform === "slack" ? "teams" : "slack";
  if (!requester.member) {
    const reply = `To use one membership on both Slack and Teams: type ${command(other, "link")} where you've already joined, then enter the code here with ${command(platform, "link <code>")}. New to the network? Use ${command(platform, "join")}.`;
    return message("How linking works", text(reply));
  }
  const code = Array.from({ length: codeLength }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join("");
  await ctx.prisma.linkCode.create({
    data: { memberId: requester.member.id, codeHash: hashCode(code), expiresAt: new Date(ctx.now().getTime() + codeMinutes * 60_000) },
  });
  return message(
    `Your link code is ${code}`,
    text(`Your link code is ${code}`),
    text(`On ${platformName(other)}, send the bot: ${command(other, `link ${code}`)}`),
    note(`It works once, for ${codeMinutes} minutes. Keep it to yourself: it joins that account to your membership.`),
  );
}

async function redeemCode({ ctx, requester }: Request, code: string): Promise<Message> {
  const platform = requester.address.platform;
  const found = await ctx.prisma.linkCode.findUnique({ where: { codeHash: hashCode(code) }, include: { member: { include: { addresses: true } } } });
  if (!found || found.expiresAt <= ctx.now() || found.member.leftAt) {
    const reply = `That code didn't work; it may have expired. Type ${command(platform === "slack" ? "teams" : "slack", "link")} where you've joined to get a new one.`;
    return message("That code didn't work", text(reply));
  }
  const member = found.member;
  if (requester.member?.id === member.id) {
    await ctx.prisma.linkCode.delete({ where: { id: found.id } });
    return message("Already linked", text(`This ${platformName(platform)} account is already linked to your membership, ${member.displayName}.`));
  }
  if (requester.member) {
    const reply = `This ${platformName(platform)} account already belongs to the member ${requester.member.displayName}, so I can't link it to another membership.`;
    return message("Already a member here", text(reply));
  }
  if (member.addresses.some((address) => address.platform === platform)) {
    const reply = `${member.displayName} already has a ${platformName(platform)} account linked. Ask a coordinator if that one is no longer yours.`;
    return message("Already linked on this platform", text(reply));
  }
  await ctx.prisma.$transaction([
    ctx.prisma.address.update({ where: { id: requester.addressId }, data: { memberId: member.id } }),
    ctx.prisma.linkCode.delete({ where: { id: found.id } }),
  ]);
  return message(
    "Linked",
    text(`Linked. You're ${member.displayName} on both Slack and Teams now: your profile and updates are the same on each.`),
  );
}
