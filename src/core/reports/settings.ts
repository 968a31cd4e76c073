import type { Config } from "../../config.js";
import type { CoreContext } from "../kernel/context.js";

/** How report nudges run: days between nudges (TI_REPORT_NUDGE_DAYS) and most nudges per report (TI_REPORT_NUDGE_CAP). */
export interface ReportNudgeSettings {
  days: number;
  cap: number;
}

declare module "../kernel/context.js" {
  interface FeatureSettings {
    reportNudges: ReportNudgeSettings;
  }
}

/** The report settings from the configuration. */
export function reportSettingsFrom(config: Config): Pick<CoreContext, "reportNudges"> {
  return { reportNudges: { days: config.TI_REPORT_NUDGE_DAYS, cap: config.TI_REPORT_NUDGE_CAP } };
}
