// A single-tenant bot serving people in another tenant, as the README's Teams section sets it up: the
// bot as a process, Bot Framework tokens really signed and checked against OpenID metadata, and the
// bot's own tokens from a fake Entra ID over TLS. Entra would issue a token in the other tenant too
// (the app registration is multi-tenant and consented there), so only the bot's asking its own tenant
// makes the tokens name it.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingPostgres, type TestDatabase } from "./support/database.js";
import { startFakeConnector, teamsMessage, teamsUser, type ConnectorCall, type FakeConnector } from "./support/fake-connector.js";
import { botFrameworkIssuer, singleTenantEnv, startFakeEntra, type FakeEntra } from "./support/fake-entra.js";
import { startBot, stopBot, type Running } from "./support/process.js";

const botTenant = randomUUID();
const otherTenant = randomUUID();
const appId = randomUUID();
const appPassword = `secret-${randomUUID()}`;

let entra: FakeEntra;
let connector: FakeConnector;
let bot: Running;
let dataDir: string;
let db: TestDatabase | undefined;

beforeAll(async () => {
  [entra, connector] = await Promise.all([startFakeEntra([{ clientId: appId, clientSecret: appPassword, tenants: [botTenant, otherTenant] }]), startFakeConnector()]);
  dataDir = await mkdtemp(path.join(tmpdir(), "ti-tenants-"));
  if (usingPostgres) db = await createTestDatabase();
  bot = await startBot({
    DATA_DIR: dataDir,
    DATABASE_URL: db?.url ?? "",
    ...singleTenantEnv(entra, { clientId: appId, clientSecret: appPassword, tenant: botTenant }),
    // The other organisation is admitted, as a coordinator would admit it.
    TI_ALLOWED_WORKSPACES: otherTenant,
    TI_SENDING_HOURS: "always",
  });
}, 120_000);

afterAll(async () => {
  if (bot) await stopBot(bot);
  await Promise.all([entra?.close(), connector?.close(), db?.destroy()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function post(activity: object, authorization?: string): Promise<Response> {
  return fetch(`${bot.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
}

const signed = (claims: Partial<Parameters<FakeEntra["channelToken"]>[0]> = {}, signedBy?: "stranger") =>
  `Bearer ${entra.channelToken({ aud: appId, serviceurl: connector.url, ...claims }, { signedBy })}`;

/** The claims of the token a call to the connector carried, checked to be one the fake Entra signed. */
function tokenOf(call: ConnectorCall): Record<string, unknown> {
  const [scheme, token] = String(call.headers.authorization).split(" ");
  expect(scheme).toBe("Bearer");
  return entra.accessTokenClaims(token!);
}

describe("a single-tenant Teams bot and people in another tenant", () => {
  const priya = teamsUser("Priya Shah", otherTenant);

  it("accepts their activity signed by the Bot Framework and answers with a token from its own tenant", async () => {
    const activity = teamsMessage(connector.url, priya, "help");
    expect((await post(activity, signed())).status).toBe(200);
    const reply = await connector.nextCall(10_000);
    expect(reply).toMatchObject({ method: "POST", conversationId: activity.conversation.id, activityId: activity.id, status: 200 });
    expect(tokenOf(reply)).toMatchObject({ tid: botTenant, aud: "https://api.botframework.com", appid: appId, iss: `https://sts.windows.net/${botTenant}/` });
  });

  it.each([
    ["no token", () => undefined],
    ["an unsigned token", () => `Bearer ${unsigned({ iss: botFrameworkIssuer, aud: appId, serviceurl: connector.url })}`],
    ["a token for another bot", () => signed({ aud: randomUUID() })],
    ["a token from another issuer", () => signed({ iss: `https://sts.windows.net/${otherTenant}/` })],
    ["a token for another serviceUrl", () => signed({ serviceurl: "https://smba.trafficmanager.net/emea/" })],
    ["an expired token", () => signed({ nbf: now() - 7200, exp: now() - 3600 })],
    ["a token signed with a key the metadata does not publish", () => signed({}, "stranger")],
  ])("refuses their activity with %s (401) and does not answer", async (_case, authorization) => {
    const response = await post(teamsMessage(connector.url, priya, "help"), authorization());
    expect(response.status).toBe(401);
    await connector.expectQuiet();
  });

  it("sends proactively to their conversation, through the delivery engine, with a token from its own tenant", async () => {
    connector.failNext(429);
    const activity = teamsMessage(connector.url, priya, "help");
    expect((await post(activity, signed())).status).toBe(200);
    const refused = await connector.nextCall(10_000);
    expect(refused).toMatchObject({ status: 429, activityId: activity.id });
    const proactive = await connector.nextCall(15_000);
    expect(proactive).toMatchObject({ method: "POST", status: 200, conversationId: activity.conversation.id });
    expect(proactive.activityId).toBeUndefined();
    expect(proactive.activity).toMatchObject({ conversation: { tenantId: otherTenant }, recipient: { id: priya.id } });
    expect(tokenOf(proactive)).toMatchObject({ tid: botTenant, aud: "https://api.botframework.com", appid: appId });
  }, 30_000);

  it("asked Entra for tokens only in its own tenant", () => {
    expect(entra.tokenRequests.length).toBeGreaterThan(0);
    expect(entra.tokenRequests.map((request) => request.tenant)).toEqual(entra.tokenRequests.map(() => botTenant));
    expect(entra.tokenRequests.every((request) => request.scope === "https://api.botframework.com/.default" && request.status === 200)).toBe(true);
  });
});

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function unsigned(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode({ nbf: now() - 60, exp: now() + 3600, ...claims })}.`;
}
