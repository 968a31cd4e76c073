import type { MemberDataPart } from "../kernel/member-data.js";

/** Who wrote a report, once they have left: the report stays the organisation's. */
export const formerChampion = "a former champion";

const cycles: MemberDataPart = {
  model: "ReportingCycle",
  key: "reportingCyclesOpened",
  about: "Reporting cycles you opened as a coordinator.",
  onLeave: "Kept as the network's record, without your name.",
  exportRows: (db, memberId) => db.reportingCycle.findMany({ where: { createdById: memberId }, orderBy: { createdAt: "asc" }, select: { number: true, label: true, opensOn: true, dueOn: true, createdAt: true } }),
  async erase(tx, leaver) {
    await tx.reportingCycle.updateMany({ where: { createdById: leaver.id }, data: { createdById: null } });
  },
};

const assignments: MemberDataPart = {
  model: "ReportRequest",
  key: "reportsHandedToYou",
  about: "Your organisation's milestone reports that another champion handed to you to fill in.",
  onLeave: "The report stays with your organisation; its reminders go to its other champions again.",
  exportRows: (db, memberId) =>
    db.reportRequest.findMany({ where: { assigneeId: memberId }, select: { id: true, organisation: { select: { name: true } }, cycle: { select: { label: true, dueOn: true } } } }),
  async erase(tx, leaver) {
    await tx.reportRequest.updateMany({ where: { assigneeId: leaver.id }, data: { assigneeId: null } });
  },
};

const reports: MemberDataPart = {
  model: "MilestoneReport",
  key: "milestoneReports",
  about: "Milestone reports you last wrote or amended for your organisation, named with you as lead.",
  onLeave: `Kept, because they are your organisation's reports, but your name is replaced with “${formerChampion}”.`,
  exportRows: (db, memberId) => db.milestoneReport.findMany({ where: { authorId: memberId }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver) {
    await tx.milestoneReport.updateMany({ where: { authorId: leaver.id }, data: { authorId: null, leadName: formerChampion } });
    const names = [leaver.displayName, ...leaver.addresses.flatMap((address) => (address.displayName ? [address.displayName] : []))];
    await tx.milestoneReport.updateMany({ where: { leadName: { in: names } }, data: { leadName: formerChampion } });
  },
};

const nudgeStates: MemberDataPart = {
  model: "ReportNudgeState",
  key: "reportReminderChoices",
  about: "Your answers to report reminders: when you said “not now”, or stopped them.",
  onLeave: "Deleted.",
  exportRows: (db, memberId) => db.reportNudgeState.findMany({ where: { memberId } }),
  async erase(tx, leaver) {
    await tx.reportNudgeState.deleteMany({ where: { memberId: leaver.id } });
  },
};

/** Every model of the reports feature that holds something about a member. */
export const reportMemberData: readonly MemberDataPart[] = [cycles, assignments, reports, nudgeStates];
