import type { Prisma } from "../db/database.js";
import { SealError, type Sealer } from "./seal.js";

export interface Resealed {
  /** Rows now sealed with the current key that weren't. */
  resealed: number;
  /** Rows the current key had sealed already. */
  current: number;
}

/**
 * Re-seals every stored Slack installation with the current key (TI_ENCRYPTION_KEY), opening each with
 * whichever configured key sealed it. Each row is re-sealed only if it still holds what was read, so a
 * reinstall landing meanwhile is kept; running it twice does nothing more. Throws, naming the row, if a
 * row can't be opened with any configured key: nothing after it is changed.
 *
 * @example
 * await resealInstallations(prisma, createSealer({ current: newKey, previous: [oldKey] })); // { resealed: 12, current: 0 }
 */
export async function resealInstallations(prisma: Prisma, sealer: Sealer, batch = 200): Promise<Resealed> {
  const done: Resealed = { resealed: 0, current: 0 };
  let after = "";
  for (;;) {
    const rows = await prisma.slackInstallation.findMany({ where: { installKey: { gt: after } }, orderBy: { installKey: "asc" }, take: batch, select: { installKey: true, sealed: true } });
    if (rows.length === 0) return done;
    for (const row of rows) {
      if (sealer.sealedWithCurrent(row.sealed)) {
        done.current++;
        continue;
      }
      let plaintext: string;
      try {
        plaintext = sealer.open(row.sealed, row.installKey);
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        throw new SealError(`The Slack installation for ${row.installKey}: ${error.message}. List the key that sealed it in TI_ENCRYPTION_KEY_PREVIOUS.`, error.keyId);
      }
      await prisma.slackInstallation.updateMany({ where: { installKey: row.installKey, sealed: row.sealed }, data: { sealed: sealer.seal(plaintext, row.installKey) } });
      done.resealed++;
    }
    after = rows.at(-1)!.installKey;
  }
}
