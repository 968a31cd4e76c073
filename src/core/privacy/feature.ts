import type { Feature } from "../kernel/feature.js";
import { confirmLeave, leaveNetwork, stayInNetwork } from "./leave-network.js";
import { privacyData } from "./member-data.js";
import { myDataFile } from "./member-records.js";
import { showMyData } from "./my-data.js";
import { showPrivacyNotice } from "./privacy-notice.js";
import { retentionJob } from "./retention.js";
import { privacySettings, retentionDays } from "./settings.js";
import { auditFile, exportAudit, showAudit } from "./show-audit.js";
import { privacyVerbs } from "./verbs.js";

/** What the bot keeps and why, everything it holds about you, leaving, the audit trail and retention. */
export const privacy: Feature = {
  name: "privacy",
  verbs: privacyVerbs,
  commands: {
    privacy: async (request) => showPrivacyNotice(request),
    mydata: showMyData,
    leave: leaveNetwork,
    "leave confirm": confirmLeave,
    "leave stay": async () => stayInNetwork(),
    audit: showAudit,
    "audit export": exportAudit,
  },
  forms: {},
  memberData: privacyData,
  synonyms: { data: "mydata", gdpr: "privacy" },
  downloads: [auditFile, myDataFile],
  jobs: (ctx) => [retentionJob({ prisma: ctx.prisma, limits: retentionDays(ctx), now: ctx.now })],
  settings: privacySettings,
};
