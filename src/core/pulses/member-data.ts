import type { MemberDataPart } from "../kernel/member-data.js";

const rounds: MemberDataPart = {
  model: "PulseRound",
  key: "pulseRoundsStarted",
  about: "Pulse rounds you opened as a coordinator: which round and when.",
  onLeave: "Kept as the network's record, without your name.",
  exportRows: (db, memberId) =>
    db.pulseRound.findMany({ where: { startedById: memberId }, orderBy: { opensAt: "asc" }, select: { number: true, opensAt: true, closesAt: true } }),
  async erase(tx, leaver) {
    await tx.pulseRound.updateMany({ where: { startedById: leaver.id }, data: { startedById: null } });
  },
};

const participations: MemberDataPart = {
  model: "PulseParticipation",
  key: "pulsesAnswered",
  about: "The pulse rounds you answered: only that you answered, so you aren't asked twice or reminded. Never what you answered.",
  onLeave: "Deleted.",
  exportRows: async (db, memberId) => {
    const rows = await db.pulseParticipation.findMany({ where: { memberId }, select: { round: { select: { number: true } } } });
    return rows.map((row) => ({ round: row.round.number })).sort((a, b) => a.round - b.round);
  },
  async erase(tx, leaver) {
    await tx.pulseParticipation.deleteMany({ where: { memberId: leaver.id } });
  },
};

const answers: MemberDataPart = {
  model: "PulseAnswer",
  key: "pulseAnswers",
  about:
    "Your pulse answers are stored without your name or anything that links them to you, so nobody, including this file, can tell which are yours. This list is always empty.",
  onLeave: "Kept, because they hold nothing that leads to you and can't be told apart from anyone else's.",
  exportRows: async () => [],
  // Nothing to erase: an answer has no link to the member to follow.
  erase: async () => {},
};

const tallies: MemberDataPart = {
  model: "PulseTally",
  key: "pulseTallies",
  about: "How many people gave each answer in each closed pulse round, by organisation. Counts only: nothing in them is yours alone. This list is always empty.",
  onLeave: "Kept: they are counts that name nobody.",
  exportRows: async () => [],
  // Nothing to erase: a count has no link to anyone.
  erase: async () => {},
};

export const pulseMemberData: readonly MemberDataPart[] = [rounds, participations, answers, tallies];
