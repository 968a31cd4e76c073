import { formerCoordinator, formerMember, type MemberDataPart } from "../kernel/member-data.js";

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

/** The audit trail's entries by or about a member. */
export const privacyData: readonly MemberDataPart[] = [auditEntries];
