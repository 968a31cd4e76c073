import type { MemberDataPart } from "../kernel/member-data.js";

const trainingRecords: MemberDataPart = {
  model: "TrainingRecord",
  key: "trainingRecords",
  about: "Training you recorded as completed: the course from the network's offer (or the title you gave) and the date you finished it. Only you see them; coordinators see counts.",
  onLeave: "Deleted.",
  exportRows: (db, memberId) =>
    db.trainingRecord.findMany({
      where: { memberId },
      orderBy: { completedOn: "asc" },
      select: { otherTitle: true, completedOn: true, createdAt: true, course: { select: { number: true, title: true, level: true, format: true, provider: true } } },
    }),
  async erase(tx, leaver) {
    await tx.trainingRecord.deleteMany({ where: { memberId: leaver.id } });
  },
};

/** What training holds about a member. Courses name nobody: the audit trail says which coordinator added one. */
export const trainingData: readonly MemberDataPart[] = [trainingRecords];
