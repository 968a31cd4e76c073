import { describe, expect, it } from "vitest";
import { createSignedLinks } from "../src/http/signed-links.js";

describe("signed download links", () => {
  let clock = new Date("2026-11-22T10:00:00Z");
  const links = createSignedLinks("a-secret", () => "https://ti.example.org/", () => clock);
  const link = new URL(links.sign("/downloads/broadcasts/12.csv", new Date("2026-11-22T11:00:00Z")));

  it("accepts the link it made until it expires, then answers 410", () => {
    expect(link.origin + link.pathname).toBe("https://ti.example.org/downloads/broadcasts/12.csv");
    expect(links.check(link)).toEqual({ ok: true, path: "/downloads/broadcasts/12.csv" });
    clock = new Date("2026-11-22T11:00:01Z");
    expect(links.check(link)).toEqual({ ok: false, status: 410 });
    clock = new Date("2026-11-22T10:00:00Z");
  });

  it("refuses a link with another path, a later expiry, a changed signature or another secret", () => {
    const otherPath = new URL(link);
    otherPath.pathname = "/downloads/broadcasts/13.csv";
    const extended = new URL(link);
    extended.searchParams.set("expires", String(Number(link.searchParams.get("expires")) + 3600));
    const tampered = new URL(link);
    tampered.searchParams.set("signature", `${link.searchParams.get("signature")!.slice(0, -1)}A`);
    const unsigned = new URL(link);
    unsigned.searchParams.delete("signature");
    const elsewhere = createSignedLinks("another-secret", () => "https://ti.example.org");
    for (const forged of [otherPath, extended, tampered, unsigned]) expect(links.check(forged)).toEqual({ ok: false, status: 403 });
    expect(elsewhere.check(link)).toEqual({ ok: false, status: 403 });
  });
});
