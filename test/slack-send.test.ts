// Slack's outbound side through a real WebClient, configured as the adapter configures it, against the fake Slack.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifySlackPlatformError, createSlackOutbound, parseSlackMessageId, slackOutboundClient } from "../adapters/slack/send.js";
import { formatted, message, text } from "../src/core/kernel/view.js";
import type { DeliveryTarget } from "../src/delivery/outbound.js";
import { createLogger } from "../src/log.js";
import { dmChannelFor, startFakeSlack, type FakeSlack } from "./support/fake-slack.js";

const log = createLogger("silent");
let slack: FakeSlack;

beforeAll(async () => {
  slack = await startFakeSlack();
});

afterAll(async () => {
  await slack?.close();
});

function outboundTo(slackApiUrl: string) {
  const api = slackOutboundClient("xoxb-test", { slackApiUrl, logLevel: webApi.LogLevel.ERROR, timeout: 5000 });
  return createSlackOutbound(api, log);
}

const target = (userId: string): DeliveryTarget => ({ platform: "slack", workspaceId: "T0TEST", userId, conversationRef: null });
const hello = message("Hello", formatted("**Hello** from the network"));

function callsTo(userId: string, since: number) {
  return slack.calls.slice(since).filter((call) => call.method.startsWith("chat.") && [userId, dmChannelFor(userId)].includes(call.body.channel));
}

describe("Slack outbound", () => {
  it("posts to the person's DM and answers the channel and ts as the message id", async () => {
    const since = slack.calls.length;
    const outcome = await outboundTo(slack.url).send(target("U0ANN"), hello);
    expect(outcome).toEqual({ status: "sent", messageId: expect.stringMatching(/^D0ANN\/\d+\.\d+$/) });
    const [post] = callsTo("U0ANN", since);
    expect(post?.method).toBe("chat.postMessage");
    expect(post?.token).toBe("xoxb-test");
    expect(post?.body.channel).toBe("U0ANN");
    expect(post?.body.text).toBe("Hello");
    expect(JSON.stringify(post?.body.blocks)).toContain("*Hello* from the network");
    expect(slack.postCount("U0ANN")).toBe(1);
  });

  it("replaces a message it sent through chat.update, in the same channel and ts", async () => {
    const outbound = outboundTo(slack.url);
    const first = await outbound.send(target("U0BEN"), message("Working", text("Working on it…")));
    if (first.status !== "sent") throw new Error(`not sent: ${JSON.stringify(first)}`);
    const since = slack.calls.length;
    const second = await outbound.send(target("U0BEN"), message("Done", text("Done.")), { replace: first.messageId });
    expect(second).toEqual({ status: "sent", messageId: first.messageId });
    const calls = callsTo("U0BEN", since);
    expect(calls.map((call) => call.method)).toEqual(["chat.update"]);
    expect(calls[0]?.body).toMatchObject({ ...parseSlackMessageId(first.messageId), text: "Done" });
    expect(slack.postCount("U0BEN")).toBe(1);
  });

  it("reports Slack's 429 as rate-limited for its Retry-After, after exactly one request", async () => {
    slack.rateLimitNext("chat.postMessage", 7);
    const since = slack.calls.length;
    const outcome = await outboundTo(slack.url).send(target("U0CAT"), hello);
    expect(outcome).toEqual({ status: "rate-limited", retryAfterMs: 7000 });
    expect(callsTo("U0CAT", since)).toHaveLength(1);
    expect(slack.postCount("U0CAT")).toBe(0);
  });

  it("reports a 503 as a retryable failure, after exactly one request", async () => {
    slack.httpErrorNext("chat.postMessage", 503);
    const since = slack.calls.length;
    const outcome = await outboundTo(slack.url).send(target("U0DAN"), hello);
    expect(outcome).toEqual({ status: "failed", reason: "HTTP 503", retryable: true });
    expect(callsTo("U0DAN", since)).toHaveLength(1);
  });

  it.each(["user_not_found", "account_inactive"])("reports %s as gone", async (error) => {
    const userId = `U0GONE${error.length}`;
    slack.failFor(userId, error);
    expect(await outboundTo(slack.url).send(target(userId), hello)).toEqual({ status: "gone", reason: error });
  });

  it("reports a refused payload as a failure not worth retrying", async () => {
    slack.failFor("U0EVE", "invalid_blocks");
    expect(await outboundTo(slack.url).send(target("U0EVE"), hello)).toEqual({ status: "failed", reason: "invalid_blocks", retryable: false });
  });

  it("reports a replace of a message Slack does not have as a failure not worth retrying", async () => {
    const outcome = await outboundTo(slack.url).send(target("U0FAY"), hello, { replace: "D0FAY/1.000001" });
    expect(outcome).toEqual({ status: "failed", reason: "message_not_found", retryable: false });
  });

  it("reports a refused connection as a retryable failure instead of throwing", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await outboundTo(`http://127.0.0.1:${port}/api/`).send(target("U0GUS"), hello);
    expect(outcome).toMatchObject({ status: "failed", retryable: true, reason: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("the fake Slack's own rate limit", () => {
  it("answers 429 with Retry-After once a channel passes its limit, and lets other channels through", async () => {
    const limited = await startFakeSlack({ limit: { perChannelPerSecond: 1 } });
    try {
      const outbound = outboundTo(limited.url);
      expect((await outbound.send(target("U0HAL"), hello)).status).toBe("sent");
      expect(await outbound.send(target("U0HAL"), hello)).toEqual({ status: "rate-limited", retryAfterMs: 1000 });
      expect((await outbound.send(target("U0IDA"), hello)).status).toBe("sent");
      expect(limited.postCount("U0HAL")).toBe(1);
    } finally {
      await limited.close();
    }
  });
});

describe("classifySlackPlatformError", () => {
  it.each([
    ["user_not_found", { status: "gone", reason: "user_not_found" }],
    ["channel_not_found", { status: "gone", reason: "channel_not_found" }],
    ["token_revoked", { status: "gone", reason: "token_revoked" }],
    ["invalid_auth", { status: "failed", reason: "invalid_auth", retryable: false }],
    ["missing_scope", { status: "failed", reason: "missing_scope", retryable: false }],
    ["msg_too_long", { status: "failed", reason: "msg_too_long", retryable: false }],
    ["internal_error", { status: "failed", reason: "internal_error", retryable: true }],
    ["fatal_error", { status: "failed", reason: "fatal_error", retryable: true }],
    ["something_new", { status: "failed", reason: "something_new", retryable: false }],
  ])("maps the platform error %s", (error, outcome) => {
    expect(classifySlackPlatformError(error, undefined)).toEqual(outcome);
  });

  it("maps a rate limit in an ok:false answer to the wait Slack asked for, in milliseconds, or 30 s when it didn't say", () => {
    expect(classifySlackPlatformError("ratelimited", 3)).toEqual({ status: "rate-limited", retryAfterMs: 3000 });
    expect(classifySlackPlatformError("rate_limited", undefined)).toEqual({ status: "rate-limited", retryAfterMs: 30_000 });
  });
});
