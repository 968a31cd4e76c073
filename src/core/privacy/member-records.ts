import type { CoreContext } from "../kernel/context.js";
import type { Download } from "../kernel/feature.js";
import { formerMember, profileData, type Leaver, type UpdatesChoice } from "../kernel/member-data.js";

/** The path of a member's `mydata` file, served by the bot at a signed link. */
export const myDataPath = (memberId: string) => `/downloads/mydata/${memberId}.json`;

/** A member's whole `mydata` file, at the link `mydata` signs. */
export const myDataFile: Download = {
  path: /^\/downloads\/mydata\/([0-9a-f-]{36})\.json$/,
  async open(ctx, match) {
    const file = await exportMemberData(ctx, match[1]!);
    return file && { kind: "file", filename: "my-data.json", contentType: "application/json; charset=utf-8", body: JSON.stringify(file, null, 2) };
  },
};

/** Everything held about a member, as the `mydata` file gives it; null when there is no such member. */
export async function exportMemberData(ctx: CoreContext, memberId: string): Promise<Record<string, unknown> | null> {
  const member = await ctx.prisma.member.findFirst({ where: { id: memberId, networkId: ctx.networkId }, select: { id: true } });
  if (!member) return null;
  const ordered = [profileData, ...ctx.memberData.filter((part) => part !== profileData)];
  const file: Record<string, unknown> = {
    network: ctx.networkName,
    exportedAt: ctx.now().toISOString(),
    explained: Object.fromEntries(ordered.map((part) => [part.key, part.about])),
    whenYouLeave: Object.fromEntries(ordered.map((part) => [part.key, part.onLeave])),
  };
  for (const part of ordered) {
    if (typeof part.exportRows === "function") file[part.key] = await part.exportRows(ctx.prisma, memberId);
  }
  return file;
}

// Any constant no other advisory lock uses (grep pg_advisory): the same in every replica.
const leaveLockKey = 7_243_003;

/**
 * Erases a member as `leave` does, in one transaction. Returns how many updates were deleted or kept,
 * or null when there was no such member (left already, or never joined).
 */
export async function eraseMember(ctx: CoreContext, memberId: string, choice: UpdatesChoice): Promise<{ updates: number } | null> {
  return ctx.prisma.$transaction(async (tx) => {
    // One leaver at a time. Deleting someone's updates counts each out of the monthly tally in the order
    // they are stored, so two members of an organisation leaving at once could each hold a month's count
    // the other needs next, and the database would fail one of them (a deadlock); leaving is rare.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${leaveLockKey})`;
    // Locks the row, so two presses of the button at once erase once and the second finds nobody.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Member" WHERE "id" = ${memberId} AND "networkId" = ${ctx.networkId} FOR UPDATE`;
    if (locked.length === 0) return null;
    const member = await tx.member.findUniqueOrThrow({
      where: { id: memberId },
      select: { id: true, displayName: true, addresses: { select: { id: true, platform: true, userId: true, displayName: true } }, _count: { select: { updates: true } } },
    });
    const leaver: Leaver = { id: member.id, displayName: member.displayName, addresses: member.addresses, choice };
    for (const part of ctx.memberData) {
      if (typeof part.erase === "function") await part.erase(tx, leaver, ctx);
    }
    // That an erasure happened, and when, without whose: the network can show it honours them.
    await tx.auditEntry.create({
      data: {
        networkId: ctx.networkId,
        actorName: formerMember,
        action: "member.leave",
        subject: formerMember,
        detail: choice === "delete" ? "left; updates deleted" : "left; updates kept without a name",
        createdAt: ctx.now(),
      },
    });
    return { updates: member._count.updates };
  }, { timeout: 60_000 });
}
