import type { Prisma } from "../../db/generated/client.js";

/** A client or a transaction: exports read with either, erasure runs inside one transaction. */
export type Db = Prisma.TransactionClient;

/** What leaving does to a member's updates: delete them, or keep them without a name. */
export type UpdatesChoice = "delete" | "keep";

/** The person leaving, read once at the start of the erasure, before anything is changed. */
export interface Leaver {
  id: string;
  displayName: string;
  addresses: { id: string; platform: "slack" | "teams"; userId: string; displayName: string | null }[];
  choice: UpdatesChoice;
}

/** What an erasure may read besides the transaction: the network's name and the clock. */
export interface EraseContext {
  networkName: string;
  now(): Date;
}

/** What replaces a name that leaves: the trail still reads, and names nobody. */
export const formerCoordinator = "a former coordinator";
export const formerMember = "a former member";

/**
 * How one Prisma model's rows about a member are exported (`mydata`) and erased (`leave`). Every model
 * linked to Member or Address appears once, in a feature's `memberData` or here; a test reads the schema
 * and fails when one is missing. A part may be exported inside another's rows (`within`) or erased by a
 * cascade from another (`cascade`). Leaving runs the features' parts in the order of the features list,
 * then {@link identityData}: whatever reads a link to the member runs before that link is removed.
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
  erase: ((tx: Db, leaver: Leaver, network: EraseContext) => Promise<void>) | { cascade: Prisma.ModelName };
}

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

/** The member and their addresses: the kernel's own rows, erased last, after every feature's. */
export const identityData: readonly MemberDataPart[] = [addresses, profile];

/** The part the export file opens with. */
export const profileData: MemberDataPart = profile;
