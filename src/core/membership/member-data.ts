import type { MemberDataPart } from "../kernel/member-data.js";

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

/** Codes a member asked for to link a second platform. */
export const membershipData: readonly MemberDataPart[] = [linkCodes];
