import { createHash } from "node:crypto";

/** AES-256 takes a 32-byte key. */
export const encryptionKeyBytes = 32;

/** How an operator makes one: 32 random bytes, written in base64. */
export const encryptionKeyRecipe = "openssl rand -base64 32";

/**
 * A key from its written form: 32 bytes as base64 (`openssl rand -base64 32`; the URL-safe alphabet is
 * also read) or as 64 hex digits. Anything else throws, saying how to make one.
 *
 * @example
 * parseEncryptionKey("q3Jk1n0l3N2dM8F5r4mR2p0qz9mB7vT1wX6yZ3aC4dE="); // 32 bytes
 */
export function parseEncryptionKey(written: string): Buffer {
  const text = written.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : fromBase64(text);
  if (!key || key.length !== encryptionKeyBytes) {
    throw new Error(`should be ${encryptionKeyBytes} random bytes in base64 (make one with \`${encryptionKeyRecipe}\`) or 64 hex digits`);
  }
  return key;
}

/** Whether `written` is a key {@link parseEncryptionKey} reads. */
export function isEncryptionKey(written: string): boolean {
  try {
    parseEncryptionKey(written);
    return true;
  } catch {
    return false;
  }
}

/**
 * A short name for a key, kept beside what it sealed so the right key is chosen to open it. A hash:
 * it says which key without saying anything of it.
 */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update("ti-champions key id\n").update(key).digest("base64url").slice(0, 10);
}

function fromBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}
