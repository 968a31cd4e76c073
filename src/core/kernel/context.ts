import type { PrismaClient } from "../../db/generated/client.js";
import type { CheckInSettings } from "../check-ins/settings.js";
import type { Address, Interaction, Platform } from "./interaction.js";
import type { PulseSettings } from "../pulses/settings.js";

/** What every use case is given: the database, the network it serves, and the clock. */
export interface CoreContext {
  prisma: PrismaClient;
  networkId: string;
  networkName: string;
  timeZone: string;
  /** Bootstrap coordinators from configuration: always coordinators, whatever the database says. */
  coordinators: readonly { platform: Platform; userId: string }[];
  now: () => Date;
  /** Called after deliveries were queued, so the dispatcher starts at once instead of at its next poll. */
  deliveriesQueued?: () => void;
  /** Makes a signed, time-limited download link served by the bot (exports). */
  links?: LinkSigner;
  /** Who to ask about personal data, as the network configures it (TI_PRIVACY_CONTACT), e.g. an email address. */
  privacyContact?: string;
  /** How long data is kept, in days, for the privacy notice; unset, the documented defaults. */
  retention?: RetentionDays;
  /** How pulses run and which groups results may show (TI_PULSE_*, TI_MIN_GROUP); unset, the defaults. */
  pulses?: PulseSettings;
  /** The support links a low check-in offers, and the smallest group counts are shown for; unset, the defaults. */
  checkIns?: CheckInSettings;
  /** Paces each person's typed commands and button presses (not forms, not coordinators); unset, no pacing. */
  pacing?: Pacing;
}

/** Whether one more command from this person may go ahead now. */
export interface Pacing {
  allow(personKey: string): Promise<boolean>;
}

/** Retention periods, in days, as the retention job applies them. */
export interface RetentionDays {
  deliveries: number;
  auditEntries: number;
  checkIns: number;
}

export const defaultRetentionDays: RetentionDays = { deliveries: 180, auditEntries: 730, checkIns: 90 };

/** Signs download links; the HTTP server checks them. */
export interface LinkSigner {
  /** An absolute URL for `path`, valid until `expiresAt`, that nobody can forge or alter. */
  sign(path: string, expiresAt: Date): string;
}

export interface RequesterMember {
  id: string;
  displayName: string;
  role: "member" | "champion" | "coordinator";
  trainingLevel: "informed" | "skilled" | "enhanced" | "specialist" | null;
  organisationId: string | null;
  organisationName: string | null;
  joinedAt: Date;
}

/** Who is asking: the address they wrote from and, once they have joined, their membership. */
export interface Requester {
  addressId: string;
  address: Address;
  member: RequesterMember | null;
  isCoordinator: boolean;
}

export interface Request {
  ctx: CoreContext;
  requester: Requester;
  interaction: Interaction;
}

export function isBootstrapCoordinator(ctx: CoreContext, address: { platform: Platform; userId: string }): boolean {
  return ctx.coordinators.some((entry) => entry.platform === address.platform && entry.userId === address.userId);
}

/** How a command is typed on the requester's platform: `/ti update` on Slack, `update` on Teams. */
export function command(platform: Platform, verbAndText: string): string {
  return platform === "slack" ? `/ti ${verbAndText}` : verbAndText;
}
