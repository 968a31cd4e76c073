import type { MemberDataPart } from "../kernel/member-data.js";

const checkIns: MemberDataPart = {
  model: "CheckIn",
  key: "checkIns",
  about: "Your private check-ins: how you were arriving, and any reflection or note you wrote (until the retention period deletes the text). Only you see them.",
  onLeave: "Deleted.",
  exportRows: (db, memberId) =>
    db.checkIn.findMany({ where: { memberId }, orderBy: { createdAt: "asc" }, select: { score: true, reflection: true, noticed: true, createdAt: true, textErasedAt: true } }),
  async erase(tx, leaver) {
    await tx.checkIn.deleteMany({ where: { memberId: leaver.id } });
  },
};

export const checkInMemberData: readonly MemberDataPart[] = [checkIns];
