import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressOf, teamsActivitySchema } from "../adapters/teams/parse.js";
import { createTeamsOutbound, outcomeOfFailure, retryAfterMs } from "../adapters/teams/send.js";
import type { Json } from "../src/core/kernel/interaction.js";
import { formatted, message, text } from "../src/core/kernel/view.js";
import type { DeliveryTarget } from "../src/delivery/outbound.js";
import { startFakeConnector, teamsMessage, teamsUser, testBot, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";

let connector: FakeConnector;
const outbound = createTeamsOutbound();
const pulse = message("Pulse round open", formatted("**How did this month go?**\n\n- Tell us in two minutes"));

beforeAll(async () => {
  connector = await startFakeConnector();
});

afterAll(async () => {
  await connector?.close();
});

/** Where a person is, stored exactly as the adapter stores it when they first write to the bot. */
function targetOf(user: TeamsUser, serviceUrl = connector.url): DeliveryTarget {
  const address = addressOf(teamsActivitySchema.parse(teamsMessage(serviceUrl, user, "hello")));
  return { platform: "teams", workspaceId: address.workspaceId, userId: address.userId, conversationRef: address.conversationRef ?? null };
}

function conversationOf(user: TeamsUser): string {
  return `a:${user.aadObjectId}`;
}

function callsTo(user: TeamsUser) {
  return connector.calls.filter((call) => call.conversationId === conversationOf(user));
}

describe("Teams outbound against the Bot Connector", () => {
  it("posts a new message to the stored conversation as the bot, not as a reply, without a token in anonymous mode", async () => {
    const sam = teamsUser("Sam Jones");
    const outcome = await outbound.send(targetOf(sam), pulse);
    expect(outcome).toEqual({ status: "sent", messageId: expect.any(String) });
    const [call] = callsTo(sam);
    expect(callsTo(sam)).toHaveLength(1);
    expect(call).toMatchObject({ method: "POST", status: 200 });
    expect(call!.activityId).toBeUndefined();
    expect(call!.headers.authorization).toBeUndefined();
    expect(call!.activity).toMatchObject({
      type: "message",
      summary: "Pulse round open",
      channelId: "msteams",
      from: { id: testBot.id },
      recipient: { id: sam.id },
      conversation: { id: conversationOf(sam), tenantId: sam.tenantId },
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: { type: "AdaptiveCard" } }],
    });
    expect(call!.activity.replyToId).toBeUndefined();
    expect(call!.activity.text).toBeUndefined();
    expect(connector.delivered(conversationOf(sam))).toBe(1);
  });

  it("replaces a sent message with a PUT to the same activity", async () => {
    const sam = teamsUser("Sam Jones");
    const first = await outbound.send(targetOf(sam), pulse);
    if (first.status !== "sent") throw new Error(`expected sent, got ${JSON.stringify(first)}`);
    const replaced = await outbound.send(targetOf(sam), message("Pulse round closed", text("Thanks, it closed.")), { replace: first.messageId });
    expect(replaced).toEqual(first);
    const [post, put] = callsTo(sam);
    expect(put).toMatchObject({ method: "PUT", status: 200, activity: { summary: "Pulse round closed" } });
    expect(put!.activityId).toBeDefined();
    expect(put!.activity.id).toBe(put!.activityId);
    expect(post!.status).toBe(200);
    expect(connector.delivered(conversationOf(sam))).toBe(1);
  });

  it("reports 429 with the time Teams asked for, after exactly one request", async () => {
    const sam = teamsUser("Sam Jones");
    connector.failFor(conversationOf(sam), 429, { "retry-after": "3" });
    expect(await outbound.send(targetOf(sam), pulse)).toEqual({ status: "rate-limited", retryAfterMs: 3_000 });
    // botbuilder's pipeline would have waited the 3 s and tried again before returning.
    expect(callsTo(sam)).toHaveLength(1);
  });

  it("reports 429 without Retry-After as a one-second wait", async () => {
    const sam = teamsUser("Sam Jones");
    connector.failFor(conversationOf(sam), 429);
    expect(await outbound.send(targetOf(sam), pulse)).toEqual({ status: "rate-limited", retryAfterMs: 1_000 });
  });

  it("reports 503 as a retryable failure after exactly one request", async () => {
    const sam = teamsUser("Sam Jones");
    connector.failFor(conversationOf(sam), 503);
    expect(await outbound.send(targetOf(sam), pulse)).toEqual({ status: "failed", reason: "HTTP 503 Failure", retryable: true });
    expect(callsTo(sam)).toHaveLength(1);
  });

  it.each([
    [403, "ConversationBlockedByUser", "User blocked the conversation with the bot."],
    [403, "BotDisabledByAdmin", "The tenant admin disabled this bot"],
    [404, "ConversationNotFound", "Conversation not found."],
  ])("reports %i %s as gone, every time", async (status, code, text) => {
    const sam = teamsUser("Sam Jones");
    connector.failFor(conversationOf(sam), status, {}, { error: { code, message: text } });
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await outbound.send(targetOf(sam), pulse)).toEqual({ status: "gone", reason: `HTTP ${status} ${code}` });
    }
    expect(callsTo(sam)).toHaveLength(2);
    expect(connector.delivered(conversationOf(sam))).toBe(0);
  });

  it("reports a refused payload as a failure not worth retrying", async () => {
    const sam = teamsUser("Sam Jones");
    connector.failFor(conversationOf(sam), 400, {}, { error: { code: "BadArgument", message: "Unknown attachment type" } });
    expect(await outbound.send(targetOf(sam), pulse)).toEqual({ status: "failed", reason: "HTTP 400 BadArgument", retryable: false });
  });

  it("reports a refused connection as a retryable failure", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await outbound.send(targetOf(teamsUser("Sam Jones"), `http://127.0.0.1:${port}/`), pulse);
    expect(outcome).toEqual({ status: "failed", reason: "network error: ECONNREFUSED", retryable: true });
  });

  describe("when the connector does not answer", () => {
    let silent: Server;
    let url: string;

    beforeAll(async () => {
      silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    });

    afterAll(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    });

    it("gives up after the timeout with a retryable failure", async () => {
      const impatient = createTeamsOutbound({ timeoutMs: 200 });
      const started = Date.now();
      expect(await impatient.send(targetOf(teamsUser("Sam Jones"), url), pulse)).toEqual({ status: "failed", reason: "no answer in 200 ms", retryable: true });
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });

  it.each<[string, Json | null]>([
    ["no conversation reference", null],
    ["a reference without a serviceUrl", { conversation: { id: "a:1" }, bot: { id: testBot.id } }],
    ["a reference without a conversation id", { serviceUrl: "https://smba.trafficmanager.net/emea/", conversation: {} }],
    ["a serviceUrl that is not http", { serviceUrl: "file:///etc/passwd", conversation: { id: "a:1" } }],
  ])("reports %s as gone without a request", async (_case, conversationRef) => {
    const before = connector.calls.length;
    const outcome = await outbound.send({ platform: "teams", workspaceId: "local", userId: "29:1", conversationRef }, pulse);
    expect(outcome).toMatchObject({ status: "gone", reason: expect.stringContaining("serviceUrl and a conversation id") });
    expect(connector.calls.length).toBe(before);
  });

  it("refuses to replace something that is not a Teams message id", async () => {
    const outcome = await outbound.send(targetOf(teamsUser("Sam Jones")), pulse, { replace: "C024BE91L/1712345678.000200/extra" });
    expect(outcome).toMatchObject({ status: "failed", retryable: false });
  });

  it("reports a replace of a deleted message as a failure, not as a person who is gone", async () => {
    const sam = teamsUser("Sam Jones");
    const first = await outbound.send(targetOf(sam), pulse);
    if (first.status !== "sent") throw new Error(`expected sent, got ${JSON.stringify(first)}`);
    connector.failFor(conversationOf(sam), 404, {}, { error: { code: "ActivityNotFoundInConversation", message: "Message does not exist in the thread." } });
    expect(await outbound.send(targetOf(sam), pulse, { replace: first.messageId })).toEqual({
      status: "failed",
      reason: "HTTP 404 ActivityNotFoundInConversation",
      retryable: false,
    });
  });
});

describe("Teams outbound with a Microsoft App ID", () => {
  // Entra ID is out of reach in tests: this stands in for the AppCredentials botbuilder's factory returns.
  const refreshes: boolean[] = [];
  const credentials = {
    createCredentials: async () => ({
      getToken: async (forceRefresh = false) => {
        refreshes.push(forceRefresh);
        return `token-${refreshes.length}`;
      },
    }),
  };
  const secured = createTeamsOutbound({ appId: "00000000-0000-0000-0000-000000000001", credentials });

  it("sends the bot's token, and asks for a fresh one after the connector refuses it", async () => {
    const sam = teamsUser("Sam Jones");
    expect((await secured.send(targetOf(sam), pulse)).status).toBe("sent");
    connector.failNext(401);
    expect(await secured.send(targetOf(sam), pulse)).toEqual({ status: "failed", reason: "HTTP 401 Failure", retryable: true });
    expect((await secured.send(targetOf(sam), pulse)).status).toBe("sent");
    expect(callsTo(sam).map((call) => call.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-2", "Bearer token-3"]);
    expect(refreshes).toEqual([false, false, true]);
  });

  it("reports a token it cannot get as a retryable failure, without a request", async () => {
    const broken = createTeamsOutbound({ appId: "00000000-0000-0000-0000-000000000001", credentials: { createCredentials: async () => ({}) } });
    const before = connector.calls.length;
    expect(await broken.send(targetOf(teamsUser("Sam Jones")), pulse)).toMatchObject({ status: "failed", retryable: true, reason: expect.stringContaining("token") });
    expect(connector.calls.length).toBe(before);
  });
});

describe("Teams outbound against a connector that enforces a rate limit", () => {
  let limited: FakeConnector;

  beforeAll(async () => {
    limited = await startFakeConnector({ limit: { perConversationPerSecond: 2, perTenantPerSecond: 3 } });
  });

  afterAll(async () => {
    await limited?.close();
  });

  it("answers the third message to one conversation within a second with 429 and Retry-After", async () => {
    const sam = teamsUser("Sam Jones", "tenant-a");
    const outcomes = [];
    for (let sent = 0; sent < 3; sent++) outcomes.push(await outbound.send(targetOf(sam, limited.url), pulse));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["sent", "sent", "rate-limited"]);
    expect(outcomes[2]).toEqual({ status: "rate-limited", retryAfterMs: 1_000 });
    expect(limited.delivered(conversationOf(sam))).toBe(2);
  });

  it("limits a tenant across its conversations, keyed by the activity's tenant", async () => {
    const people = Array.from({ length: 4 }, (_, index) => teamsUser(`Person ${index}`, "tenant-b"));
    const statuses = [];
    for (const person of people) statuses.push((await outbound.send(targetOf(person, limited.url), pulse)).status);
    expect(statuses).toEqual(["sent", "sent", "sent", "rate-limited"]);
    expect((await outbound.send(targetOf(teamsUser("Elsewhere", "tenant-c"), limited.url), pulse)).status).toBe("sent");
  });
});

describe("outcomeOfFailure", () => {
  it.each([
    [429, { retryAfter: "3" }, { status: "rate-limited", retryAfterMs: 3_000 }],
    [429, { retryAfter: null }, { status: "rate-limited", retryAfterMs: 1_000 }],
    [403, { code: "ConversationBlockedByUser" }, { status: "gone", reason: "HTTP 403 ConversationBlockedByUser" }],
    [403, {}, { status: "gone", reason: "HTTP 403" }],
    [404, { code: "ConversationNotFound" }, { status: "gone", reason: "HTTP 404 ConversationNotFound" }],
    [404, { code: "ActivityNotFoundInConversation" }, { status: "failed", reason: "HTTP 404 ActivityNotFoundInConversation", retryable: false }],
    [401, {}, { status: "failed", reason: "HTTP 401", retryable: true }],
    [408, {}, { status: "failed", reason: "HTTP 408", retryable: true }],
    [412, { code: "PreconditionFailed" }, { status: "failed", reason: "HTTP 412 PreconditionFailed", retryable: true }],
    [500, {}, { status: "failed", reason: "HTTP 500", retryable: true }],
    [502, {}, { status: "failed", reason: "HTTP 502", retryable: true }],
    [504, {}, { status: "failed", reason: "HTTP 504", retryable: true }],
    [400, { code: "BadArgument" }, { status: "failed", reason: "HTTP 400 BadArgument", retryable: false }],
    [413, { code: "MessageSizeTooBig" }, { status: "failed", reason: "HTTP 413 MessageSizeTooBig", retryable: false }],
  ] as const)("maps %i %o", (status, details, outcome) => {
    expect(outcomeOfFailure(status, details)).toEqual(outcome);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = new Date("2026-03-02T10:00:00Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Mon, 02 Mar 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Mon, 02 Mar 2026 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(outcomeOfFailure(429, { retryAfter: "Mon, 02 Mar 2026 10:00:05 GMT", now })).toEqual({ status: "rate-limited", retryAfterMs: 5_000 });
  });
});
