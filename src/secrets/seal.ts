import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { keyIdOf } from "./encryption-key.js";

/** Seals secrets (AES-256-GCM) with the current key; opens what any known key sealed. */
export interface Sealer {
  /** `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url. `boundTo` (a row's key, say) must be given again to open it. */
  seal(plaintext: string, boundTo?: string): string;
  /** The plaintext; throws {@link SealError} when no known key opens it, or it was altered or bound elsewhere. */
  open(sealed: string, boundTo?: string): string;
  /** Whether the current key sealed it (nothing to re-seal). */
  sealedWithCurrent(sealed: string): boolean;
  readonly currentKeyId: string;
}

export class SealError extends Error {
  override name = "SealError";
  constructor(
    message: string,
    /** The key id the sealed text names, when it could be read. */
    readonly keyId?: string,
  ) {
    super(message);
  }
}

const version = "v1";
const ivBytes = 12;

/**
 * @example
 * const sealer = createSealer({ current: parseEncryptionKey(process.env.TI_ENCRYPTION_KEY!), previous: [] });
 * const sealed = sealer.seal(JSON.stringify(installation), "T0123");
 * JSON.parse(sealer.open(sealed, "T0123"));
 */
export function createSealer({ current, previous = [] }: { current: Buffer; previous?: readonly Buffer[] }): Sealer {
  const currentKeyId = keyIdOf(current);
  const keys = new Map<string, Buffer>([...previous].reverse().map((key) => [keyIdOf(key), key]));
  keys.set(currentKeyId, current);

  return {
    currentKeyId,
    seal(plaintext, boundTo = "") {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv("aes-256-gcm", current, iv).setAAD(Buffer.from(boundTo, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [version, currentKeyId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
    },
    open(sealed, boundTo = "") {
      const [given, keyId, iv, tag, ciphertext, ...rest] = sealed.split(".");
      if (given !== version || !keyId || !iv || !tag || ciphertext === undefined || rest.length > 0) throw new SealError("not a sealed value this version can read");
      const key = keys.get(keyId);
      if (!key) throw new SealError(`sealed with a key that isn't configured (key id ${keyId})`, keyId);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url")).setAAD(Buffer.from(boundTo, "utf8"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new SealError(`could not be opened with key id ${keyId}: altered, or sealed for another row`, keyId);
      }
    },
    sealedWithCurrent: (sealed) => sealed.split(".")[1] === currentKeyId,
  };
}
