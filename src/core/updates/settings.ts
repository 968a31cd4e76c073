import type { Config } from "../../config.js";
import type { CoreContext } from "../kernel/context.js";

declare module "../kernel/context.js" {
  interface FeatureSettings {
    /** The Slack channel (its id) where each update shared with the network is posted as it is shared (TI_SLACK_UPDATES_CHANNEL). */
    updatesChannel: string;
  }
}

/** The updates settings from the configuration. */
export function updateSettingsFrom(config: Config): Pick<CoreContext, "updatesChannel"> {
  return config.TI_SLACK_UPDATES_CHANNEL ? { updatesChannel: config.TI_SLACK_UPDATES_CHANNEL } : {};
}
