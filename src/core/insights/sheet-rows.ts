import type { SheetCell } from "../kernel/feature.js";

/** A sheet's rows worked out once, when the workbook reaches the sheet. */
export async function* later(rows: () => Promise<SheetCell[][]>): AsyncGenerator<SheetCell[]> {
  yield* await rows();
}
