import { Prisma } from "../../db/generated/client.js";
import type { InstalledWorkspace } from "./bot.js";
import { isBootstrapCoordinator, type CoreContext, type Requester } from "./context.js";
import type { Address, Platform } from "./interaction.js";
import { formatDate } from "./labels.js";
import { queueDeliveries } from "./outbox.js";
import { buttons, heading, message, note, text, type Message } from "./view.js";

declare module "./context.js" {
  interface FeatureSettings {
    /** Which Slack workspaces and Teams tenants are in the network without a coordinator being asked. */
    workspaceGate: WorkspaceGateSettings;
  }
}

/**
 * What lets a workspace in on first sight, from the configuration. Unset, nothing does, except the first
 * workspace the bot ever sees (a one-workspace network works as it always has).
 */
export interface WorkspaceGateSettings {
  /** Slack team or Enterprise Grid ids and Teams tenant ids (TI_ALLOWED_WORKSPACES). */
  allowed: readonly string[];
  /** The Teams tenant the bot itself is registered in (MICROSOFT_APP_TENANT_ID). */
  ownTenant?: string;
  /** Teams runs in local mode (no MICROSOFT_APP_ID): the Emulator's and Agents Playground's tenant-less `local` is ours. */
  localTeams: boolean;
}

export type WorkspaceStatus = "pending" | "approved" | "paused" | "declined";

interface WorkspaceRow {
  id: string;
  name: string | null;
  status: WorkspaceStatus;
  askedAt: Date | null;
}

/** How long one process trusts an approval it read; pending, paused and declined are read every time. */
const approvalTrustMs = 10_000;
const approvals = new WeakMap<CoreContext, Map<string, number>>();
/**
 * Lookups under way, by workspace (and whether the asker is a configured coordinator, which changes what a
 * first sight records): people arriving together from a workspace wait for one lookup rather than each
 * making their own: a burst from a workspace seen for the first time otherwise queued one first-sight
 * transaction per person on the network's row (bench:ack sends 50 at once).
 */
const lookups = new WeakMap<CoreContext, Map<string, Promise<WorkspaceRow>>>();
const keyOf = (platform: Platform, workspaceId: string) => `${platform}:${workspaceId}`;

/**
 * Whether the requester's workspace (Slack team, Teams tenant) is in the network. Undefined lets them
 * in; otherwise the kind answer to show instead, and nothing of theirs is kept beyond their address.
 * A workspace seen for the first time is approved if configuration or being the network's first says
 * so; otherwise it is pending, and the coordinators are asked about it once. Configured coordinators
 * (TI_COORDINATORS) are always let in, so nobody can shut them out of their own network.
 *
 * @example
 * const closed = await workspaceGate(ctx, requester);
 * if (closed) return closed;
 */
export async function workspaceGate(ctx: CoreContext, requester: Requester): Promise<Message | undefined> {
  const { platform, workspaceId } = requester.address;
  const cache = approvals.get(ctx) ?? approvals.set(ctx, new Map()).get(ctx)!;
  const key = keyOf(platform, workspaceId);
  if ((cache.get(key) ?? 0) > Date.now()) return undefined;
  const bootstrap = isBootstrapCoordinator(ctx, requester.address);
  const row = await sharedLookup(ctx, `${key}:${bootstrap}`, () => standing(ctx, { platform, workspaceId }, bootstrap));
  if (row.status === "approved") {
    cache.set(key, Date.now() + approvalTrustMs);
    return undefined;
  }
  if (bootstrap) return undefined;
  if (row.status === "pending") {
    if (!row.askedAt) await askCoordinators(ctx, { ...row, platform, workspaceId }, requester.address);
    return pendingAnswer(ctx, platform);
  }
  return row.status === "paused" ? pausedAnswer(ctx) : declinedAnswer(ctx);
}

/**
 * A whole workspace installed the bot: it is recorded with its name and, unless it is already in the
 * network or allowed in, the coordinators are asked about it (once).
 */
export async function recordInstall(ctx: CoreContext, workspace: InstalledWorkspace): Promise<void> {
  const row = await standing(ctx, workspace, false);
  const name = workspace.name?.trim().slice(0, 200);
  if (name && name !== row.name) await ctx.prisma.workspace.update({ where: { id: row.id }, data: { name } });
  if (row.status === "pending" && !row.askedAt) await askCoordinators(ctx, { ...row, name: name ?? row.name, platform: workspace.platform, workspaceId: workspace.workspaceId });
}

/** Drops this process's trust in a workspace's approval at once (it was just paused or removed here). */
export function forgetWorkspace(ctx: CoreContext, platform: Platform, workspaceId: string): void {
  approvals.get(ctx)?.delete(keyOf(platform, workspaceId));
}

/** `Slack workspace Acme (T0123ABCD)`, `Teams tenant 72f988bf-…`: how coordinators read one. */
export function describeWorkspace(workspace: { platform: Platform; workspaceId: string; name: string | null }): string {
  const kind = workspace.platform === "slack" ? "Slack workspace" : "Teams tenant";
  return workspace.name ? `${kind} ${workspace.name} (${workspace.workspaceId})` : `${kind} ${workspace.workspaceId}`;
}

/** What a button names a workspace by: `slack:T0123ABCD`, `teams:<tenant id>`. */
export const workspaceKey = (workspace: { platform: Platform; workspaceId: string }) => keyOf(workspace.platform, workspace.workspaceId);

function allowedOnSight(ctx: CoreContext, { platform, workspaceId }: { platform: Platform; workspaceId: string }): boolean {
  const gate = ctx.workspaceGate;
  const id = workspaceId.toLowerCase();
  if (gate?.allowed.some((allowed) => allowed.toLowerCase() === id)) return true;
  if (platform !== "teams") return false;
  return (gate?.ownTenant !== undefined && gate.ownTenant.toLowerCase() === id) || (workspaceId === "local" && (gate?.localTeams ?? false));
}

function sharedLookup(ctx: CoreContext, key: string, lookup: () => Promise<WorkspaceRow>): Promise<WorkspaceRow> {
  const underWay = lookups.get(ctx) ?? lookups.set(ctx, new Map()).get(ctx)!;
  const existing = underWay.get(key);
  if (existing) return existing;
  const started = lookup().finally(() => underWay.delete(key));
  underWay.set(key, started);
  return started;
}

/** The workspace's row, made on first sight. A pending one the configuration now allows is approved. */
async function standing(ctx: CoreContext, workspace: { platform: Platform; workspaceId: string }, bootstrap: boolean): Promise<WorkspaceRow> {
  const found = await readRow(ctx, workspace);
  const allowed = allowedOnSight(ctx, workspace);
  if (found && !(found.status === "pending" && allowed)) return found;
  if (found) {
    await ctx.prisma.workspace.updateMany({ where: { id: found.id, status: "pending" }, data: { status: "approved", decidedAt: ctx.now() } });
    return (await readRow(ctx, workspace))!;
  }
  await firstSight(ctx, workspace, allowed || bootstrap);
  return (await readRow(ctx, workspace))!;
}

async function readRow(ctx: CoreContext, { platform, workspaceId }: { platform: Platform; workspaceId: string }): Promise<WorkspaceRow | null> {
  return ctx.prisma.workspace.findUnique({
    where: { platform_workspaceId: { platform, workspaceId } },
    select: { id: true, name: true, status: true, askedAt: true },
  });
}

/**
 * Records a workspace seen for the first time. Without an allow list, the first workspace a network ever
 * has is approved (the one-workspace bot as it always was); the network's row is locked meanwhile, so two
 * workspaces seen at the same moment can't both be first.
 */
async function firstSight(ctx: CoreContext, { platform, workspaceId }: { platform: Platform; workspaceId: string }, onSight: boolean): Promise<void> {
  const now = ctx.now();
  const approvedIf = onSight ? Prisma.sql`true` : (ctx.workspaceGate?.allowed.length ?? 0) > 0 ? Prisma.sql`false` : Prisma.sql`NOT EXISTS (
    SELECT 1 FROM "Workspace" w WHERE w."networkId" = ${ctx.networkId} AND w."status" IN ('approved', 'paused'))`;
  await ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Network" WHERE "id" = ${ctx.networkId} FOR UPDATE`;
    await tx.$executeRaw`
      INSERT INTO "Workspace" ("id", "networkId", "platform", "workspaceId", "status", "firstSeenAt", "decidedAt")
      SELECT gen_random_uuid()::text, ${ctx.networkId}, ${platform}::"Platform", ${workspaceId},
             (CASE WHEN first THEN 'approved' ELSE 'pending' END)::"WorkspaceStatus", ${now}, CASE WHEN first THEN ${now}::timestamp(3) END
      FROM (SELECT ${approvedIf} AS first) decision
      ON CONFLICT ("platform", "workspaceId") DO NOTHING`;
  });
}

/**
 * Every coordinator, once each: members with the role (on the platform they last used), and those named
 * in configuration, whether or not they have joined.
 */
function coordinators(ctx: CoreContext): Prisma.Sql {
  const named = ctx.coordinators.map(({ platform, userId }) => Prisma.sql`(${platform}, ${userId})`);
  const isNamed = named.length === 0 ? Prisma.sql`false` : Prisma.sql`(a."platform"::text, a."userId") IN (${Prisma.join(named)})`;
  return Prisma.sql`
    SELECT DISTINCT ON (COALESCE(m."id", a."id")) m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
    FROM "Address" a
    LEFT JOIN "Member" m ON m."id" = a."memberId" AND m."leftAt" IS NULL AND m."networkId" = ${ctx.networkId}
    WHERE a."active" AND (m."role" = 'coordinator' OR ${isNamed})
    ORDER BY COALESCE(m."id", a."id"), a."lastSeenAt" DESC`;
}

/**
 * One message to the coordinators with Approve and Decline. `askedAt` is claimed first, so two people
 * trying at once ask once; if no coordinator can be reached yet, it is released to ask next time.
 */
async function askCoordinators(ctx: CoreContext, workspace: WorkspaceRow & { platform: Platform; workspaceId: string }, firstTried?: Address): Promise<void> {
  const claimed = await ctx.prisma.workspace.updateMany({ where: { id: workspace.id, status: "pending", askedAt: null }, data: { askedAt: ctx.now() } });
  if (claimed.count === 0) return;
  const queued = await queueDeliveries(ctx, {
    purposeKey: `workspace-pending:${workspace.id}`,
    view: askView(ctx, workspace, firstTried),
    recipients: coordinators(ctx),
    // Not urgent to anyone's safety, and coordinators have quiet time too: it waits for sending hours.
    respectQuietHours: true,
  });
  if (queued === 0) await ctx.prisma.workspace.updateMany({ where: { id: workspace.id }, data: { askedAt: null } });
}

function askView(ctx: CoreContext, workspace: WorkspaceRow & { platform: Platform; workspaceId: string }, firstTried?: Address): Message {
  const kind = workspace.platform === "slack" ? "Slack workspace" : "Teams tenant";
  const who = firstTried ? `${firstTried.displayName ?? "Someone"} (${firstTried.userId})` : undefined;
  return message(
    `A ${kind} would like to join ${ctx.networkName}: ${describeWorkspace(workspace)}`,
    heading(`A ${kind} would like to join`),
    text(
      who
        ? `${who} tried to use the bot from a ${kind} that isn't part of ${ctx.networkName} yet.`
        : `The bot was added to a ${kind} that isn't part of ${ctx.networkName} yet.`,
    ),
    {
      type: "fields",
      fields: [
        { label: "Platform", value: workspace.platform === "slack" ? "Slack" : "Microsoft Teams" },
        { label: "Name", value: workspace.name ?? "Not known yet" },
        { label: "Id", value: workspace.workspaceId },
        { label: "First seen", value: `${formatDate(ctx.now(), ctx.timeZone)}${who ? `, when ${who} wrote` : ", when it installed the bot"}` },
      ],
    },
    text("If you approve it, its people can join the network. Until someone decides, they're told a coordinator has been asked, and nothing of theirs is kept beyond their id and name."),
    buttons(
      { label: "Approve", verb: "workspace approve", text: workspaceKey(workspace), style: "primary" },
      { label: "Decline", verb: "workspace decline", text: workspaceKey(workspace), style: "danger" },
    ),
    note("You get this because you coordinate the network. The workspaces command lists every workspace, with buttons to pause or remove one."),
  );
}

function pendingAnswer(ctx: CoreContext, platform: Platform): Message {
  const where = platform === "slack" ? "This workspace" : "Your organisation's Teams";
  const reply = `${where} hasn't been connected to ${ctx.networkName} yet. A coordinator has been asked; you'll be able to join once they've said yes.`;
  return message(
    reply,
    text(reply),
    // Not even an echo of what they wrote: an answer the platform refuses is queued, and nothing of theirs may be kept.
    note("Until then I keep only your id and the name Slack or Teams shows for you, so I can reply to you. Nothing you write is saved, so please keep a copy of anything you'd like to share later."),
  );
}

function pausedAnswer(ctx: CoreContext): Message {
  const reply = `${ctx.networkName} is paused here for now, so I can't help from this workspace at the moment. Nothing you shared before has been lost, and it will all be here when it's back.`;
  return message(reply, text(reply), note("If you have questions, please ask your network's coordinator."));
}

function declinedAnswer(ctx: CoreContext): Message {
  const reply = `This workspace isn't part of ${ctx.networkName}, so I can't help here. If you think it should be, please get in touch with the network's coordinator.`;
  return message(reply, text(reply), note("I keep only your id and the name Slack or Teams shows for you, so I can reply to you."));
}
