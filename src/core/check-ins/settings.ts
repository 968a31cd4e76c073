import type { Config } from "../../config.js";
import type { CoreContext } from "../kernel/context.js";

/**
 * How check-ins run: the support links a low check-in offers (TI_SUPPORT_LINKS) and the smallest group
 * coordinators may see counts for (TI_MIN_GROUP), as `ctx.checkIns`; unset, the defaults.
 *
 * @example
 * const ctx: CoreContext = { ...rest, checkIns: { supportLinks: ["Samaritans: call 116 123"], minimumGroup: 5 } };
 */
export interface CheckInSettings {
  supportLinks: readonly string[];
  minimumGroup: number;
}

export const defaultCheckInSettings: CheckInSettings = {
  supportLinks: ["Samaritans: call 116 123, free, any time, day or night", "Your employee assistance programme"],
  minimumGroup: 5,
};

declare module "../kernel/context.js" {
  interface FeatureSettings {
    checkIns: CheckInSettings;
  }
}

export function checkInSettings(ctx: CoreContext): CheckInSettings {
  return ctx.checkIns ?? defaultCheckInSettings;
}

/** The check-in settings from the configuration. */
export function checkInSettingsFrom(config: Config): Pick<CoreContext, "checkIns"> {
  return { checkIns: { supportLinks: parseSupportLinks(config.TI_SUPPORT_LINKS), minimumGroup: config.TI_MIN_GROUP } };
}

/** `Samaritans: 116 123 | Your EAP` → one link a line. */
export function parseSupportLinks(value: string): string[] {
  return value.split("|").map((link) => link.trim()).filter(Boolean);
}

/** How someone might be arriving, 1 to 5. */
export const arrivingScale = ["Struggling", "Low", "Okay", "Good", "Really good"] as const;
