import type { MemberDataPart } from "../kernel/member-data.js";

const updates: MemberDataPart = {
  model: "Update",
  key: "updates",
  about: "The updates you shared, with the principles they were tagged with and whether each went to the network's feed or stayed on your profile (sharedWithNetwork).",
  onLeave: "Deleted, or, if you choose, kept without your name: shown as “a champion from <your organisation>”. Updates you kept to your profile are deleted either way.",
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
    // Kept to the profile that is going away: nobody could ever see them again, so they go too.
    await tx.update.deleteMany({ where: { authorId: leaver.id, sharedWithNetwork: false } });
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

/** A member's updates and their principles. */
export const updateData: readonly MemberDataPart[] = [updates, updatePrinciples];
