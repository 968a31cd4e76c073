// A core context on a test database, as src/app.ts builds one, for tests that call use cases directly.
import { features } from "../../src/core/features.js";
import { catalogue } from "../../src/core/kernel/catalogue.js";
import type { CoreContext } from "../../src/core/kernel/context.js";
import type { PrismaClient } from "../../src/db/generated/client.js";

/** Every feature's member data, as the running bot's context carries it. */
export const memberData = catalogue(features).memberData;

/** The context for `network`: no coordinators configured, the real clock, unless `overrides` say otherwise. */
export function coreContext(prisma: PrismaClient, network: { id: string; name: string; timeZone: string }, overrides: Partial<CoreContext> = {}): CoreContext {
  return { prisma, networkId: network.id, networkName: network.name, timeZone: network.timeZone, coordinators: [], now: () => new Date(), memberData, ...overrides };
}
