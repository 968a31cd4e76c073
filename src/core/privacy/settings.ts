import type { Config } from "../../config.js";
import type { CoreContext } from "../kernel/context.js";

/** Retention periods, in days (TI_RETAIN_*), as the retention job applies them and the privacy notice states them. */
export interface RetentionDays {
  /** Deliveries, counted from when they were sent (or settled, for those never sent). */
  deliveries: number;
  auditEntries: number;
  /** Check-in text (reflection and note); the score stays for the member's own trend. */
  checkIns: number;
}

export const defaultRetentionDays: RetentionDays = { deliveries: 180, auditEntries: 730, checkIns: 90 };

declare module "../kernel/context.js" {
  interface FeatureSettings {
    /** Who to ask about personal data, as the network configures it (TI_PRIVACY_CONTACT), e.g. an email address. */
    privacyContact: string;
    /** How long data is kept, in days; unset, {@link defaultRetentionDays}. */
    retention: RetentionDays;
  }
}

export function retentionDays(ctx: CoreContext): RetentionDays {
  return ctx.retention ?? defaultRetentionDays;
}

/** The privacy settings from the configuration. */
export function privacySettings(config: Config): Pick<CoreContext, "privacyContact" | "retention"> {
  return {
    ...(config.TI_PRIVACY_CONTACT ? { privacyContact: config.TI_PRIVACY_CONTACT } : {}),
    retention: { deliveries: config.TI_RETAIN_DELIVERY_DAYS, auditEntries: config.TI_RETAIN_AUDIT_DAYS, checkIns: config.TI_RETAIN_CHECKIN_DAYS },
  };
}
