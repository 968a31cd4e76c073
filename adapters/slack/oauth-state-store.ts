import { randomBytes } from "node:crypto";
import { InvalidStateError } from "@slack/oauth";
import type { InstallURLOptions, StateStore } from "@slack/bolt";
import type { Prisma } from "../../src/db/database.js";

/** As long as the browser keeps Bolt's state cookie: an install takes minutes, not hours. */
export const oauthStateLifetimeSeconds = 600;

/**
 * OAuth `state` values kept in the database, so any replica, before or after a restart, can finish an
 * install another started. Each is single-use: verifying deletes it, so a replayed redirect is refused.
 *
 * @example
 * new InstallProvider({ clientId, clientSecret, stateStore: createOAuthStateStore(prisma), installationStore });
 */
export function createOAuthStateStore(prisma: Prisma): StateStore {
  return {
    async generateStateParam(installOptions: InstallURLOptions, now: Date) {
      const id = randomBytes(24).toString("base64url");
      const expiresAt = new Date(now.getTime() + oauthStateLifetimeSeconds * 1000);
      // Abandoned installs leave states behind; each new one sweeps those past their time.
      await prisma.slackOAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
      await prisma.slackOAuthState.create({ data: { id, installOptions: JSON.parse(JSON.stringify(installOptions)), createdAt: now, expiresAt } });
      return id;
    },
    async verifyStateParam(now: Date, state: string) {
      // One DELETE … RETURNING: of two redirects racing with one state, only one gets it.
      const [claimed] = await prisma.$queryRaw<{ installOptions: unknown; expiresAt: Date }[]>`
        DELETE FROM "SlackOAuthState" WHERE "id" = ${state} RETURNING "installOptions", "expiresAt"`;
      if (!claimed) throw new InvalidStateError("The state is unknown or has already been used.");
      if (new Date(claimed.expiresAt) <= now) throw new InvalidStateError("The state has expired.");
      return claimed.installOptions as unknown as InstallURLOptions;
    },
  };
}
