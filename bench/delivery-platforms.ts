// The platforms the delivery benchmark sends to, all on 127.0.0.1: the test suite's fake Slack and fake
// Bot Connector. Throttled, they enforce the limits the dispatcher is configured with (one fake Slack per
// workspace, as each keeps a single workspace window) behind a small proxy that routes each send and
// answers a set share of them 429 (with Retry-After) or 503, using the fakes' own `…Next` answers.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Platform } from "../src/core/kernel/interaction.js";
import type { RateLimits } from "../src/delivery/limits.js";
import { startFakeConnector } from "../test/support/fake-connector.js";
import { startFakeSlack, type FakeSlack } from "../test/support/fake-slack.js";
import type { SeededMember } from "../test/support/seed.js";

/** Shares of sends the proxy fails on purpose (0.01 = 1%). */
export interface Faults {
  rateLimited: number;
  serverError: number;
  retryAfterSeconds: number;
}

export interface SendStats {
  /** Sends that reached the proxy. */
  sends: number;
  injected429: number;
  injected5xx: number;
  /** Every 429 answered: injected, or the fake's own limit. */
  answered429: number;
  /** Sends to a workspace that arrived while a 429 answered to it said to wait. */
  insideRetryAfter: number;
  /** By workspace: sends that reached it, and how long its 429s asked it to pause in all (overlaps counted once). */
  workspaces: Map<string, { sends: number; pausedMs: number }>;
}

export interface Platforms {
  slackApiUrl: string;
  /** The serviceUrl to seed Teams conversation references with. */
  teamsServiceUrl: string;
  /** Who is in which Slack workspace, for routing sends to that workspace's fake. */
  track(members: readonly SeededMember[]): void;
  /** Messages the platform accepted for this person: over 1 is a duplicate, 0 a loss. */
  received(member: SeededMember): number;
  stats: Record<Platform, SendStats>;
  close(): Promise<void>;
}

/** Where a send goes, the workspace or tenant it counts against, and how to make that fake fail it. */
interface Destination {
  url: string;
  workspace: string;
  fail(fault: "rate-limited" | "server-error"): void;
}

const emptyStats = (): SendStats => ({ sends: 0, injected429: 0, injected5xx: 0, answered429: 0, insideRetryAfter: 0, workspaces: new Map() });

/** Without limits the sends go straight to one fake Slack and the connector, so no proxy takes CPU from the dispatcher. */
export async function startPlatforms(options: { slackWorkspaces: readonly string[]; limits?: RateLimits; faults?: Faults }): Promise<Platforms> {
  const { limits, faults } = options;
  const slackLimit = limits && { perChannelPerSecond: limits.slack.perConversation, perWorkspacePerSecond: limits.slack.perWorkspace };
  const connector = await startFakeConnector(limits ? { limit: { perTenantPerSecond: limits.teams.perWorkspace, perConversationPerSecond: limits.teams.perConversation } } : {});
  const shared = limits ? undefined : await startFakeSlack();
  const slacks = new Map<string, FakeSlack>();
  for (const workspace of options.slackWorkspaces) slacks.set(workspace, shared ?? (await startFakeSlack({ limit: slackLimit })));
  const workspaceOf = new Map<string, string>();
  const slackOf = (userId: string) => slacks.get(workspaceOf.get(userId) ?? "") ?? shared!;
  const stats = { slack: emptyStats(), teams: emptyStats() };

  const proxies = limits || faults ? [await startFaultProxy(faults, stats.slack, slackDestination), await startFaultProxy(faults, stats.teams, teamsDestination)] : [];

  function slackDestination(body: string, contentType: string | undefined): Destination {
    const channel = contentType?.includes("json") ? String((JSON.parse(body) as { channel?: unknown }).channel) : new URLSearchParams(body).get("channel") ?? "";
    const fake = slackOf(channel);
    return {
      url: fake.url,
      workspace: workspaceOf.get(channel) ?? "unknown",
      fail: (fault) => (fault === "rate-limited" ? fake.rateLimitNext("chat.postMessage", faults!.retryAfterSeconds) : fake.httpErrorNext("chat.postMessage", 503)),
    };
  }

  function teamsDestination(body: string): Destination {
    const activity = JSON.parse(body) as { conversation?: { tenantId?: string } };
    return {
      url: connector.url,
      workspace: activity.conversation?.tenantId ?? "unknown",
      fail: (fault) => (fault === "rate-limited" ? connector.failNext(429, { "retry-after": String(faults!.retryAfterSeconds) }) : connector.failNext(503)),
    };
  }

  return {
    slackApiUrl: proxies[0] ? `${proxies[0].url}api/` : shared!.url,
    teamsServiceUrl: proxies[1]?.url ?? connector.url,
    track(members) {
      for (const member of members) if (member.platform === "slack") workspaceOf.set(member.userId, member.workspaceId);
    },
    received: (member) => (member.platform === "slack" ? slackOf(member.userId).postCount(member.userId) : connector.delivered(member.conversationId!)),
    stats,
    async close() {
      await Promise.all([...proxies.map((proxy) => proxy.close()), connector.close(), ...[...new Set(slacks.values())].map((fake) => fake.close())]);
    },
  };
}

async function startFaultProxy(
  faults: Faults | undefined,
  stats: SendStats,
  route: (body: string, contentType: string | undefined) => Destination,
): Promise<{ url: string; close(): Promise<void> }> {
  const waitUntil = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const destination = route(body, req.headers["content-type"]);
    stats.sends++;
    const workspace = stats.workspaces.get(destination.workspace) ?? { sends: 0, pausedMs: 0 };
    stats.workspaces.set(destination.workspace, workspace);
    workspace.sends++;
    if ((waitUntil.get(destination.workspace) ?? 0) > Date.now()) stats.insideRetryAfter++;
    const draw = Math.random();
    if (faults && draw < faults.rateLimited) {
      stats.injected429++;
      destination.fail("rate-limited");
    } else if (faults && draw < faults.rateLimited + faults.serverError) {
      stats.injected5xx++;
      destination.fail("server-error");
    }
    try {
      const headers: Record<string, string> = { "content-type": req.headers["content-type"] ?? "application/json" };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      const answer = await fetch(new URL(req.url ?? "/", destination.url), { method: req.method, headers, body });
      const retryAfter = answer.headers.get("retry-after");
      if (answer.status === 429) {
        stats.answered429++;
        const at = Date.now();
        const until = at + Number(retryAfter ?? 1) * 1000;
        const before = waitUntil.get(destination.workspace) ?? 0;
        workspace.pausedMs += Math.max(0, until - Math.max(at, before));
        waitUntil.set(destination.workspace, Math.max(until, before));
      }
      const text = await answer.text();
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain", ...(retryAfter ? { "retry-after": retryAfter } : {}) }).end(text);
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" }).end(`proxy: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
