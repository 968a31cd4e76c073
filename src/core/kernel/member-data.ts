import type { Prisma } from "../../db/generated/client.js";
import { broadcastMessage } from "../broadcasts/compose-broadcast.js";
import { checkIns } from "../check-ins/feature.js";
import type { CoreContext } from "./context.js";
import { events } from "../events/feature.js";
import { pulses } from "../pulses/feature.js";
import { reports } from "../reports/feature.js";

/** A client or a transaction: exports read with either, erasure runs inside one transaction. */
type Db = Prisma.TransactionClient;

/** What leaving does to a member's updates: delete them, or keep them without a name. */
export type UpdatesChoice = "delete" | "keep";

/** The person leaving, read once at the start of the erasure, before anything is changed. */
export interface Leaver {
  id: string;
  displayName: string;
  addresses: { id: string; platform: "slack" | "teams"; userId: string; displayName: string | null }[];
  choice: UpdatesChoice;
}

/** What replaces a name that leaves: the trail still reads, and names nobody. */
export const formerCoordinator = "a former coordinator";
export const formerMember = "a former member";

/**
 * How one Prisma model's rows about a member are exported (`mydata`) and erased (`leave`). Every model
 * linked to Member or Address appears here once; a test reads the schema and fails when one is missing.
 * A part may be exported inside another's rows (`within`) or erased by a cascade from another (`cascade`).
 *
 * @example
 * { model: "LinkCode", key: "linkCodes", about: "…", onLeave: "Deleted.", exportRows: (db, id) => …, erase: (tx, leaver) => … }
 */
export interface MemberDataPart {
  model: Prisma.ModelName;
  /** Its key in the export file. */
  key: string;
  /** What it is, in words, as the export file explains it. */
  about: string;
  /** What leaving does to it, in words. */
  onLeave: string;
  exportRows: ((db: Db, memberId: string) => Promise<unknown>) | { within: Prisma.ModelName };
  erase: ((tx: Db, leaver: Leaver, ctx: CoreContext) => Promise<void>) | { cascade: Prisma.ModelName };
}

/** Broadcast numbers a member cancelled, as the audit trail recorded them (`broadcast #12`). */
async function broadcastsCancelledBy(tx: Db, memberId: string): Promise<number[]> {
  const entries = await tx.auditEntry.findMany({ where: { actorId: memberId, action: "broadcast.cancel" }, select: { subject: true } });
  return entries.flatMap((entry) => {
    const number = /^broadcast #(\d+)$/.exec(entry.subject)?.[1];
    return number ? [Number(number)] : [];
  });
}

const deliveries: MemberDataPart = {
  model: "Delivery",
  key: "deliveries",
  about: "Announcements the bot sent you, or was due to send you: what, when, and whether it arrived.",
  onLeave:
    "Deleted, sent or not. Where you wrote or cancelled an announcement, the messages other people got say “a former coordinator” instead of your name.",
  exportRows: (db, memberId) =>
    db.delivery.findMany({ where: { OR: [{ memberId }, { address: { memberId } }] }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver, ctx) {
    const authored = await tx.broadcast.findMany({ where: { authorId: leaver.id }, select: { id: true, number: true, text: true } });
    for (const broadcast of authored) {
      await tx.delivery.updateMany({
        where: { broadcastId: broadcast.id, purposeKey: `broadcast:${broadcast.number}` },
        data: { view: JSON.parse(JSON.stringify(broadcastMessage(ctx, { text: broadcast.text, authorName: formerCoordinator }))) },
      });
    }
    const cancelled = await broadcastsCancelledBy(tx, leaver.id);
    if (cancelled.length > 0) {
      await tx.delivery.updateMany({
        where: { broadcast: { number: { in: cancelled } }, lastError: `cancelled by ${leaver.displayName}` },
        data: { lastError: `cancelled by ${formerCoordinator}` },
      });
    }
    await tx.delivery.deleteMany({ where: { OR: [{ memberId: leaver.id }, { addressId: { in: leaver.addresses.map((address) => address.id) } }] } });
  },
};

const auditEntries: MemberDataPart = {
  model: "AuditEntry",
  key: "auditEntries",
  about: "Entries in the coordinators' audit trail that you made as a coordinator, or that are about you (a role change).",
  onLeave: `Kept, because the trail records what coordinators did, but your name is replaced: “${formerCoordinator}” where you acted, “${formerMember}” where it was about you.`,
  exportRows: (db, memberId) =>
    db.auditEntry.findMany({ where: { OR: [{ actorId: memberId }, { subjectMemberId: memberId }] }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver) {
    // Before joining, a bootstrap coordinator is recorded by the platform's name for them, or its id.
    const unjoinedNames = leaver.addresses.flatMap((address) => [`${address.platform} user ${address.userId}`, ...(address.displayName ? [address.displayName] : [])]);
    await tx.auditEntry.updateMany({
      where: { OR: [{ actorId: leaver.id }, { actorId: null, actorName: { in: unjoinedNames } }] },
      data: { actorId: null, actorName: formerCoordinator },
    });
    await tx.auditEntry.updateMany({ where: { subjectMemberId: leaver.id }, data: { subjectMemberId: null, subject: formerMember } });
  },
};

const broadcasts: MemberDataPart = {
  model: "Broadcast",
  key: "broadcasts",
  about: "Announcements you wrote as a coordinator, sent or not.",
  onLeave: "Kept as the network's record, without your name.",
  exportRows: (db, memberId) => db.broadcast.findMany({ where: { authorId: memberId }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver) {
    await tx.broadcast.updateMany({ where: { authorId: leaver.id }, data: { authorId: null } });
  },
};

const updates: MemberDataPart = {
  model: "Update",
  key: "updates",
  about: "The updates you shared, with the principles they were tagged with.",
  onLeave: "Deleted, or, if you choose, kept without your name: shown as “a champion from <your organisation>”.",
  exportRows: async (db, memberId) => {
    const rows = await db.update.findMany({
      where: { authorId: memberId },
      orderBy: { createdAt: "asc" },
      include: { organisation: { select: { name: true } }, principles: { include: { principle: { select: { name: true } } } } },
    });
    return rows.map(({ principles, organisation, ...update }) => ({
      ...update,
      organisation: organisation?.name ?? null,
      principles: principles.map((link) => link.principle.name),
    }));
  },
  async erase(tx, leaver) {
    if (leaver.choice === "delete") {
      await tx.update.deleteMany({ where: { authorId: leaver.id } });
      return;
    }
    // sourceRef is the platform's id for the message that carried it: a thread back to the person.
    await tx.update.updateMany({ where: { authorId: leaver.id }, data: { authorId: null, sourceRef: null } });
  },
};

const updatePrinciples: MemberDataPart = {
  model: "UpdatePrinciple",
  key: "updates.principles",
  about: "Which principles each of your updates was tagged with.",
  onLeave: "Goes with its update: deleted with it, or kept with it.",
  exportRows: { within: "Update" },
  erase: { cascade: "Update" },
};

const linkCodes: MemberDataPart = {
  model: "LinkCode",
  key: "linkCodes",
  about: "One-time codes you asked for to link Slack and Teams. The code itself is stored only as a one-way hash, left out here.",
  onLeave: "Deleted.",
  exportRows: (db, memberId) => db.linkCode.findMany({ where: { memberId }, omit: { codeHash: true }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver) {
    await tx.linkCode.deleteMany({ where: { memberId: leaver.id } });
  },
};

const addresses: MemberDataPart = {
  model: "Address",
  key: "addresses",
  about: "Your Slack and Teams accounts as the bot knows them: the platform's ids, the name it shows, and what it needs to message you.",
  onLeave: "Deleted.",
  exportRows: (db, memberId) => db.address.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver) {
    await tx.address.deleteMany({ where: { OR: [{ memberId: leaver.id }, { id: { in: leaver.addresses.map((address) => address.id) } }] } });
  },
};

const profile: MemberDataPart = {
  model: "Member",
  key: "profile",
  about: "Your profile: name, organisation, role, training level, and when you joined.",
  onLeave: "Deleted. You can join again later, as a new member.",
  exportRows: (db, memberId) =>
    db.member.findUnique({ where: { id: memberId }, include: { organisation: { select: { name: true, sector: true, locality: true } } } }),
  async erase(tx, leaver) {
    await tx.member.deleteMany({ where: { id: leaver.id } });
  },
};

/**
 * Every model that holds data about a member, in the order leaving erases them: whatever reads a link
 * to the member (who cancelled a broadcast, who wrote an update) runs before that link is removed.
 */
export function memberData(): readonly MemberDataPart[] {
  // Read at call time, not load time: the features' handlers import this module.
  const features = [events, reports, pulses, checkIns].flatMap((feature) => feature.memberData);
  return [deliveries, auditEntries, broadcasts, updates, updatePrinciples, linkCodes, ...features, addresses, profile];
}

/** Everything held about a member, as the `mydata` file gives it; null when there is no such member. */
export async function exportMemberData(ctx: CoreContext, memberId: string): Promise<Record<string, unknown> | null> {
  const member = await ctx.prisma.member.findFirst({ where: { id: memberId, networkId: ctx.networkId }, select: { id: true } });
  if (!member) return null;
  const ordered = [profile, ...memberData().filter((part) => part !== profile)];
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

/**
 * Erases a member as `leave` does, in one transaction. Returns how many updates were deleted or kept,
 * or null when there was no such member (left already, or never joined).
 */
export async function eraseMember(ctx: CoreContext, memberId: string, choice: UpdatesChoice): Promise<{ updates: number } | null> {
  return ctx.prisma.$transaction(async (tx) => {
    // Locks the row, so two presses of the button at once erase once and the second finds nobody.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Member" WHERE "id" = ${memberId} AND "networkId" = ${ctx.networkId} FOR UPDATE`;
    if (locked.length === 0) return null;
    const member = await tx.member.findUniqueOrThrow({
      where: { id: memberId },
      select: { id: true, displayName: true, addresses: { select: { id: true, platform: true, userId: true, displayName: true } }, _count: { select: { updates: true } } },
    });
    const leaver: Leaver = { id: member.id, displayName: member.displayName, addresses: member.addresses, choice };
    for (const part of memberData()) {
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
