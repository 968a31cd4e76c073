import type { Feature } from "../kernel/feature.js";
import { reportsHome } from "./reports-home.js";
import { reportJobs } from "./jobs.js";
import { reportSettingsFrom } from "./settings.js";
import { keyActionsForm, submitKeyActions } from "./key-actions.js";
import { listOrganisations, showMyOrganisation } from "./list-organisations.js";
import { handOver, offerHandover, snoozeNudges, stopNudges } from "./nudge-answers.js";
import { editOrganisation, organisationForm, submitOrganisation } from "./organisation-form.js";
import { openReport, submitReport } from "./file-report.js";
import { reportMemberData } from "./report-data.js";
import { cycleForm, submitCycle } from "./set-cycle.js";
import { exportReports, reportsCsv, showReports } from "./show-reports.js";
import { reportVerbs } from "./verbs.js";

/** Organisations, pledges, reporting cycles, milestone reports and their nudges. */
export const reports: Feature = {
  name: "reports",
  help: { area: "reports", title: "Organisations and milestone reports" },
  verbs: reportVerbs,
  commands: {
    org: showMyOrganisation,
    "org actions": keyActionsForm,
    orgs: listOrganisations,
    "org add": async ({ ctx }) => organisationForm(ctx),
    "org edit": editOrganisation,
    cycle: cycleForm,
    report: openReport,
    reports: showReports,
    "reports export": exportReports,
    "report snooze": snoozeNudges,
    "report stop": stopNudges,
    "report handover": offerHandover,
    "report handto": handOver,
  },
  forms: {
    organisation: { who: "coordinators", submit: submitOrganisation },
    keyactions: { who: "anyone", submit: submitKeyActions },
    cycle: { who: "coordinators", submit: submitCycle },
    report: { who: "anyone", submit: submitReport },
  },
  memberData: reportMemberData,
  synonyms: { organisation: "org", organisations: "orgs", pledge: "org", milestone: "report", rag: "report" },
  downloads: [{ path: /^\/downloads\/reports\/(\d{1,9})\.csv$/, open: (ctx, match) => reportsCsv(ctx, Number(match[1])) }],
  jobs: reportJobs,
  settings: reportSettingsFrom,
  home: reportsHome,
};
