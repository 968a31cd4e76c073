// Stand-ins for the Microsoft sign-in services a Teams bot talks to, on one HTTPS server on 127.0.0.1
// with a self-signed certificate made for the run: Entra ID (per-tenant OpenID discovery and token
// endpoint, as MSAL uses them) and the Bot Framework's OpenID metadata publishing the keys the channel
// signs its tokens with. MSAL accepts only https authorities, hence TLS; a process trusts the
// certificate through NODE_EXTRA_CA_CERTS=`caFile`.
import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate } from "selfsigned";

/** An app registration and the tenants it has a service principal in (its home, and any that consented). */
export interface EntraApp {
  clientId: string;
  clientSecret: string;
  tenants: string[];
}

/** A client-credentials request Entra answered. */
export interface TokenRequest {
  /** The tenant in the token endpoint's path. */
  tenant: string;
  clientId: string;
  scope: string;
  /** The status it answered with. */
  status: number;
}

/** The claims of a channel token; `serviceurl` must be the activity's serviceUrl. */
export interface ChannelClaims {
  aud: string;
  serviceurl: string;
  iss?: string;
  exp?: number;
  nbf?: number;
}

export interface FakeEntra {
  /** For MICROSOFT_LOGIN_URL: Entra's sign-in host. */
  loginUrl: string;
  /** For MICROSOFT_OPENID_METADATA_URL: the Bot Framework's OpenID metadata. */
  openIdMetadataUrl: string;
  /** The certificate as a PEM file, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  tokenRequests: TokenRequest[];
  /**
   * A token as the Bot Framework channel signs one for an activity sent to the bot. `signedBy: "stranger"`
   * signs with a key the metadata does not publish, under the published key id.
   */
  channelToken(claims: ChannelClaims, options?: { signedBy?: "channel" | "stranger" }): string;
  /** The claims of an access token this Entra issued; throws if its signature is not Entra's. */
  accessTokenClaims(token: string): Record<string, unknown>;
  close(): Promise<void>;
}

export const botFrameworkIssuer = "https://api.botframework.com";

/** The bot's environment for a single-tenant app signing in at this Entra, as a deployment's would be. */
export function singleTenantEnv(entra: FakeEntra, app: { clientId: string; clientSecret: string; tenant: string }): Record<string, string> {
  return {
    MICROSOFT_APP_ID: app.clientId,
    MICROSOFT_APP_PASSWORD: app.clientSecret,
    MICROSOFT_APP_TENANT_ID: app.tenant,
    MICROSOFT_APP_TYPE: "SingleTenant",
    MICROSOFT_LOGIN_URL: entra.loginUrl,
    MICROSOFT_BOT_FRAMEWORK_URL: botFrameworkIssuer,
    MICROSOFT_OPENID_METADATA_URL: entra.openIdMetadataUrl,
    NODE_EXTRA_CA_CERTS: entra.caFile,
  };
}

export async function startFakeEntra(apps: EntraApp[]): Promise<FakeEntra> {
  const dir = await mkdtemp(path.join(tmpdir(), "ti-fake-entra-"));
  const tls = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  });
  const caFile = path.join(dir, "fake-entra.pem");
  await writeFile(caFile, tls.cert);

  const channelKey = signingKey();
  const strangerKey = signingKey();
  const entraKey = signingKey();
  const tokenRequests: TokenRequest[] = [];
  let base = "";

  const server: Server = createServer({ key: tls.private, cert: tls.cert }, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", base);
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

    if (req.method === "GET" && url.pathname === "/v1/.well-known/openidconfiguration") {
      return json(200, {
        issuer: botFrameworkIssuer,
        authorization_endpoint: "https://invalid.botframework.com",
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["private_key_jwt"],
      });
    }
    if (req.method === "GET" && url.pathname === "/v1/.well-known/keys") {
      return json(200, { keys: [{ ...channelKey.publicKey.export({ format: "jwk" }), use: "sig", kid: channelKey.kid, endorsements: ["msteams"] }] });
    }
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (req.method === "GET" && discovery) {
      const tenant = discovery[1]!;
      return json(200, {
        issuer: `${base}/${tenant}/v2.0`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
      });
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (req.method === "POST" && token) {
      const tenant = token[1]!;
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const clientId = form.get("client_id") ?? "";
      const scope = form.get("scope") ?? "";
      const app = apps.find((candidate) => candidate.clientId === clientId);
      const refusal =
        form.get("grant_type") !== "client_credentials"
          ? "unsupported_grant_type"
          : !app || !app.tenants.includes(tenant)
            ? "unauthorized_client"
            : app.clientSecret !== form.get("client_secret")
              ? "invalid_client"
              : !scope.endsWith("/.default")
                ? "invalid_scope"
                : undefined;
      tokenRequests.push({ tenant, clientId, scope, status: refusal ? 400 : 200 });
      if (refusal) return json(400, { error: refusal, error_description: `The fake Entra refused: ${refusal}.` });
      const now = Math.floor(Date.now() / 1000);
      const accessToken = signJwt(
        { aud: scope.replace(/\/\.default$/, ""), iss: `https://sts.windows.net/${tenant}/`, iat: now, nbf: now, exp: now + 3600, appid: clientId, tid: tenant, ver: "1.0" },
        entraKey.privateKey,
        entraKey.kid,
      );
      return json(200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
    }
    json(404, { error: "not_found" });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    loginUrl: base,
    openIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    caFile,
    tokenRequests,
    channelToken(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key = options.signedBy === "stranger" ? strangerKey : channelKey;
      return signJwt({ iss: botFrameworkIssuer, nbf: now - 60, exp: now + 3600, ...claims }, key.privateKey, channelKey.kid);
    },
    accessTokenClaims(token) {
      const [header, payload, signature] = token.split(".");
      if (!header || !payload || !signature || !verify("sha256", Buffer.from(`${header}.${payload}`), entraKey.publicKey, Buffer.from(signature, "base64url"))) {
        throw new Error(`not a token this Entra issued: ${token}`);
      }
      return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function signingKey(): { kid: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid: randomUUID(), privateKey, publicKey };
}

function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "RS256", typ: "JWT", kid, x5t: kid })}.${encode(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}
