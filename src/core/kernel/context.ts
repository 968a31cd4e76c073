import type { PrismaClient } from "../../db/generated/client.js";
import type { Sql } from "../../db/sql.js";
import type { Address, Interaction, Platform } from "./interaction.js";
import type { MemberDataPart } from "./member-data.js";

/**
 * Each feature's settings, as its use cases read them from the context (`ctx.pulses`). Empty here: a
 * feature adds its own entry from its `settings.ts`, so the kernel names no feature.
 *
 * @example
 * declare module "../kernel/context.js" {
 *   interface FeatureSettings { pulses: PulseSettings }
 * }
 */
export interface FeatureSettings {}

/**
 * What every use case is given: the database, the network it serves, the clock, and each feature's
 * settings (unset, a feature uses its defaults).
 */
export interface CoreContext extends Partial<FeatureSettings> {
  prisma: PrismaClient;
  /** The same database through its driver: only for statements on the interactive path (see src/db/sql.ts). */
  sql: Sql;
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
  /** Every feature's rows about a member, in the order leaving erases them: what `mydata` exports and `leave` erases. */
  memberData: readonly MemberDataPart[];
  /** Paces each person's typed commands and button presses (not forms, not coordinators); unset, no pacing. */
  pacing?: Pacing;
}

/** Whether one more command from this person may go ahead now. */
export interface Pacing {
  allow(personKey: string): Promise<boolean>;
}

/** Signs download links; the HTTP server checks them. */
export interface LinkSigner {
  /** An absolute URL for `path`, valid until `expiresAt`, that nobody can forge or alter. */
  sign(path: string, expiresAt: Date): string;
  /**
   * Whether Slack's and Microsoft's own servers can fetch these links: the bot has a public address
   * (TI_PUBLIC_URL or TI_PUBLIC_HOST). An image in a message needs it; a link a person opens doesn't.
   */
  readonly reachableFromOutside: boolean;
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
