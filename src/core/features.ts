import { broadcasts } from "./broadcasts/feature.js";
import { checkIns } from "./check-ins/feature.js";
import { digest } from "./digest/feature.js";
import { events } from "./events/feature.js";
import { insights } from "./insights/feature.js";
import type { Feature } from "./kernel/feature.js";
import { membership } from "./membership/feature.js";
import { privacy } from "./privacy/feature.js";
import { pulses } from "./pulses/feature.js";
import { reports } from "./reports/feature.js";
import { training } from "./training/feature.js";
import { updates } from "./updates/feature.js";
import { workspaces } from "./workspaces/feature.js";

/**
 * Every feature of the bot, the one list the bot, `help`, `mydata`/`leave`, the scheduler, the settings and
 * the downloads read. Adding a feature is a folder and one line here. The order is the order of `help` and
 * of erasure when someone leaves: a feature whose erasure reads another's rows comes before it (broadcasts
 * read the audit trail to rename who cancelled what, so they come before privacy).
 */
export const features: readonly Feature[] = [membership, updates, broadcasts, privacy, events, reports, pulses, checkIns, digest, training, insights, workspaces];
