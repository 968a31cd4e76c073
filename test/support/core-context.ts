// A core context on a test database, as src/app.ts builds one, for tests that call use cases directly.
import { features } from "../../src/core/features.js";
import { catalogue } from "../../src/core/kernel/catalogue.js";
import type { CoreContext } from "../../src/core/kernel/context.js";
import type { Database } from "../../src/db/database.js";

/** Every feature's member data, as the running bot's context carries it. */
export const memberData = catalogue(features).memberData;

/**
 * The workspaces and tenants the tests use, allowed into the network as TI_ALLOWED_WORKSPACES would, so
 * tests about other things can use both platforms at once. `test/workspaces.test.ts` sets its own.
 */
export const testWorkspaces = ["T0TEST", "T1", "tenant-1", "72f988bf-86f1-41af-91ab-2d7cd011db47"] as const;

/** The same, with their platforms, as the network's approved workspaces (a network that has run before has them). */
export const testWorkspaceRows = [
  { platform: "slack", workspaceId: "T0TEST" },
  { platform: "slack", workspaceId: "T1" },
  { platform: "teams", workspaceId: "tenant-1" },
  { platform: "teams", workspaceId: "72f988bf-86f1-41af-91ab-2d7cd011db47" },
] as const;

/** The context for `network`: no coordinators configured, the real clock, the test workspaces allowed, unless `overrides` say otherwise. */
export function coreContext({ prisma, sql }: Pick<Database, "prisma" | "sql">, network: { id: string; name: string; timeZone: string }, overrides: Partial<CoreContext> = {}): CoreContext {
  return {
    prisma,
    sql,
    networkId: network.id,
    networkName: network.name,
    timeZone: network.timeZone,
    coordinators: [],
    now: () => new Date(),
    memberData,
    workspaceGate: { allowed: testWorkspaces, localTeams: true },
    ...overrides,
  };
}
