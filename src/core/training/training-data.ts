import type { MemberDataPart } from "../kernel/member-data.js";

const trainingRecords: MemberDataPart = {
  model: "TrainingRecord",
  key: "trainingRecords",
  about: "Training you recorded as completed, or attended at a network training session (the facilitator or a coordinator recorded it): the course from the network's offer (or the title you gave), the date, and the session. Only you see them; coordinators see counts.",
  onLeave: "Deleted.",
  exportRows: (db, memberId) =>
    db.trainingRecord.findMany({
      where: { memberId },
      orderBy: { completedOn: "asc" },
      select: {
        otherTitle: true,
        completedOn: true,
        createdAt: true,
        course: { select: { number: true, title: true, level: true, format: true, provider: true } },
        event: { select: { number: true, title: true, startsAt: true } },
      },
    }),
  async erase(tx, leaver) {
    await tx.trainingRecord.deleteMany({ where: { memberId: leaver.id } });
  },
};

const needsParticipations: MemberDataPart = {
  model: "LearningNeedsParticipation",
  key: "learningNeedsSurveysAnswered",
  about: "The learning-needs surveys you answered: only that you answered, so you aren't asked twice. Never what you answered: answers are stored without your name, and nothing leads from them to you.",
  onLeave: "Deleted. Your answers stay in the counts, because nothing in them leads to you.",
  exportRows: async (db, memberId) => {
    const rows = await db.learningNeedsParticipation.findMany({ where: { memberId }, select: { survey: { select: { number: true } } } });
    return rows.map((row) => ({ survey: row.survey.number })).sort((a, b) => a.survey - b.survey);
  },
  async erase(tx, leaver) {
    await tx.learningNeedsParticipation.deleteMany({ where: { memberId: leaver.id } });
  },
};

/**
 * What training holds about a member. Courses, resources, surveys and targets name nobody: the audit trail
 * says which coordinator added, sent or set one. Whether they said "Stop these" to surveys is in their profile.
 */
export const trainingData: readonly MemberDataPart[] = [trainingRecords, needsParticipations];
