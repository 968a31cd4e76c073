import { createHmac, timingSafeEqual } from "node:crypto";
import type { LinkSigner } from "../core/kernel/context.js";

export type LinkCheck = { ok: true; path: string } | { ok: false; status: 403 | 410 };

/**
 * Time-limited download links: the path and its expiry signed with HMAC-SHA256, so a link can't be
 * guessed, altered or extended. Checking never says which part was wrong.
 *
 * @example
 * const links = createSignedLinks(secret, () => "https://ti.example.org");
 * links.sign("/downloads/broadcasts/12.csv", inAnHour); // https://ti.example.org/downloads/broadcasts/12.csv?expires=…&signature=…
 */
export function createSignedLinks(
  secret: string,
  baseUrl: () => string,
  now: () => Date = () => new Date(),
  { reachableFromOutside = true }: { reachableFromOutside?: boolean } = {},
): LinkSigner & { check(url: URL): LinkCheck } {
  const signature = (path: string, expires: string) => createHmac("sha256", secret).update(`${path}\n${expires}`).digest("base64url");
  return {
    reachableFromOutside,
    sign(path, expiresAt) {
      const expires = String(Math.floor(expiresAt.getTime() / 1000));
      return `${baseUrl().replace(/\/+$/, "")}${path}?expires=${expires}&signature=${signature(path, expires)}`;
    },
    check(url) {
      const expires = url.searchParams.get("expires") ?? "";
      const given = Buffer.from(url.searchParams.get("signature") ?? "");
      const expected = Buffer.from(signature(url.pathname, expires));
      if (!/^\d{1,12}$/.test(expires) || given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 403 };
      if (Number(expires) * 1000 <= now().getTime()) return { ok: false, status: 410 };
      return { ok: true, path: url.pathname };
    },
  };
}
