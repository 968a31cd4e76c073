import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import { ConfigError } from "../../src/config.js";
import type { Prisma } from "../../src/db/database.js";
import { SealError, type Sealer } from "../../src/secrets/seal.js";
import type { WorkspaceTokens } from "./send.js";

/** Bolt's installation store on Prisma, with each installation (tokens included) sealed, and lookups cached a while. */
export interface SlackInstallations extends Required<InstallationStore> {
  /** The installation whose token serves this workspace (team id): its own, else the one org-wide install. */
  forWorkspace(workspaceId: string): Promise<Installation | undefined>;
  /** Deletes the installation at this key (team id, or enterprise id for an org-wide install) and forgets it here. */
  remove(installKey: string): Promise<void>;
  /** Forgets what this process cached for the key, so the next lookup reads the database. */
  forget(installKey: string): void;
}

export interface InstallationCache {
  /** How long a lookup is trusted; another replica's uninstall or reinstall shows here within this. */
  ttlMs: number;
  /** The most installations kept; the oldest go first. */
  maxEntries: number;
}

const defaultCache: InstallationCache = { ttlMs: 60_000, maxEntries: 1000 };

/** The stored installation cannot be opened with the configured keys. */
/** The configured key doesn't open what is stored: a configuration problem, reported as one at start-up. */
export class InstallationKeyError extends ConfigError {
  override name = "InstallationKeyError";
}

/**
 * What lookups use: the enterprise id for an org-wide install (one token for every workspace of the
 * org), else the team id.
 */
export function installKeyOf(subject: { isEnterpriseInstall?: boolean; enterprise?: { id: string }; team?: { id: string } }): string {
  const key = subject.isEnterpriseInstall ? subject.enterprise?.id : subject.team?.id;
  if (!key) throw new Error("a Slack installation with neither a team nor, for an org-wide install, an enterprise");
  return key;
}

function queryKey(query: InstallationQuery<boolean>): string | undefined {
  return query.isEnterpriseInstall && query.enterpriseId ? query.enterpriseId : (query.teamId ?? query.enterpriseId);
}

/**
 * @example
 * const installations = createSlackInstallations(prisma, sealer);
 * new InstallProvider({ clientId, clientSecret, stateStore, installationStore: installations });
 */
export function createSlackInstallations(prisma: Prisma, sealer: Sealer, cache: InstallationCache = defaultCache): SlackInstallations {
  // Keyed by what was asked for (a workspace served by an org-wide install is cached under its team id too).
  const cached = new Map<string, { installation: Installation; installKey: string; until: number }>();

  const remember = (asked: string, installation: Installation, installKey: string) => {
    cached.delete(asked);
    cached.set(asked, { installation, installKey, until: Date.now() + cache.ttlMs });
    for (const oldest of cached.keys()) {
      if (cached.size <= cache.maxEntries) break;
      cached.delete(oldest);
    }
  };
  const recall = (asked: string) => {
    const entry = cached.get(asked);
    if (entry && entry.until > Date.now()) return entry.installation;
    if (entry) cached.delete(asked);
    return undefined;
  };
  const forget = (installKey: string) => {
    for (const [asked, entry] of cached) if (asked === installKey || entry.installKey === installKey) cached.delete(asked);
  };

  const open = (row: { installKey: string; sealed: string }): Installation => {
    try {
      return JSON.parse(sealer.open(row.sealed, row.installKey)) as Installation;
    } catch (error) {
      if (error instanceof SealError) {
        throw new InstallationKeyError(`The Slack installation for ${row.installKey} ${error.message}: check TI_ENCRYPTION_KEY (and TI_ENCRYPTION_KEY_PREVIOUS).`);
      }
      throw error;
    }
  };

  // Misses are never cached: an install just finished on another replica is used here at once.
  async function byKey(installKey: string): Promise<Installation | undefined> {
    const known = recall(installKey);
    if (known) return known;
    const row = await prisma.slackInstallation.findUnique({ where: { installKey }, select: { installKey: true, sealed: true } });
    if (!row) return undefined;
    const installation = open(row);
    remember(installKey, installation, installKey);
    return installation;
  }

  async function remove(installKey: string): Promise<void> {
    forget(installKey);
    await prisma.slackInstallation.deleteMany({ where: { installKey } });
  }

  return {
    forget,
    remove,
    async storeInstallation(installation) {
      const installKey = installKeyOf(installation);
      const facts = {
        teamId: installation.team?.id ?? null,
        teamName: installation.team?.name ?? null,
        enterpriseId: installation.enterprise?.id ?? null,
        enterpriseName: installation.enterprise?.name ?? null,
        isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
        botUserId: installation.bot?.userId ?? null,
        botId: installation.bot?.id ?? null,
        scopes: (installation.bot?.scopes ?? []).join(","),
        installerUserId: installation.user.id ?? null,
        sealed: sealer.seal(JSON.stringify(installation), installKey),
      };
      forget(installKey);
      await prisma.slackInstallation.upsert({ where: { installKey }, create: { installKey, ...facts }, update: { ...facts, installedAt: new Date() } });
    },
    async fetchInstallation(query) {
      const installKey = queryKey(query);
      const installation = installKey ? await byKey(installKey) : undefined;
      if (!installation) throw new Error(`no Slack installation for ${installKey ?? "an unnamed workspace"}`);
      return installation;
    },
    async deleteInstallation(query) {
      const installKey = queryKey(query);
      if (installKey) await remove(installKey);
    },
    async forWorkspace(workspaceId) {
      const own = await byKey(workspaceId);
      if (own) return own;
      // An address records its own team; an org-wide install is kept under the enterprise. With one such
      // install there is no doubt which token serves the team; with several, the address can't say.
      const orgWide = await prisma.slackInstallation.findMany({ where: { isEnterpriseInstall: true }, select: { installKey: true, sealed: true }, take: 2 });
      if (orgWide.length !== 1) return undefined;
      const installation = open(orgWide[0]!);
      remember(workspaceId, installation, orgWide[0]!.installKey);
      return installation;
    },
  };
}

/**
 * Opens the most recently stored installation, so a wrong TI_ENCRYPTION_KEY stops the bot at start
 * rather than at its first message. Throws {@link InstallationKeyError}, naming the variable.
 */
export async function checkInstallationsOpen(prisma: Prisma, sealer: Sealer): Promise<number> {
  const [latest, count] = await Promise.all([
    prisma.slackInstallation.findFirst({ orderBy: { updatedAt: "desc" }, select: { installKey: true, sealed: true } }),
    prisma.slackInstallation.count(),
  ]);
  if (!latest) return 0;
  try {
    sealer.open(latest.sealed, latest.installKey);
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    throw new InstallationKeyError(
      `TI_ENCRYPTION_KEY does not open the stored Slack installations (the latest was ${error.message}). ` +
        "Set TI_ENCRYPTION_KEY to the key they were sealed with, or keep that key in TI_ENCRYPTION_KEY_PREVIOUS while you run `npm run keys:rotate`.",
    );
  }
  return count;
}

/**
 * Each workspace's bot token for proactive sends, from its installation; `fresh` reads it again, for a
 * token another replica's reinstall has replaced since it was cached here.
 */
export function workspaceTokens(installations: SlackInstallations): WorkspaceTokens {
  return {
    async tokenFor(workspaceId, { fresh = false } = {}) {
      if (fresh) installations.forget(workspaceId);
      return (await installations.forWorkspace(workspaceId))?.bot?.token;
    },
  };
}
