import { once } from "node:events";
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { DateTime } from "luxon";
import type { SheetCell, SheetColumn, Workbook } from "../core/kernel/feature.js";

const numberFormats: Record<NonNullable<SheetColumn["type"]>, string | undefined> = {
  text: undefined,
  number: "#,##0",
  decimal: "0.0",
  day: "dd/mm/yyyy",
  time: "dd/mm/yyyy hh:mm",
};

/** A spreadsheet cell holds at most 32,767 characters. */
const cellLimit = 32_767;

/** Characters XML 1.0 forbids (controls other than tab and line breaks, lone surrogates): one would make the file unreadable. */
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** How often, in rows, writing waits for the reader to catch up, so a slow download never piles rows up in memory. */
const drainEvery = 500;

/**
 * Writes a workbook as XLSX while its rows are read: each sheet's header row bold and frozen, columns at
 * their widths, numbers as numbers and dates as dates (instants in the workbook's time zone, since a
 * spreadsheet's dates have none). Text stays text: nothing typed is ever read as a formula.
 *
 * @example
 * res.writeHead(200, { "content-type": xlsxContentType });
 * await writeXlsx(workbook, res);
 */
export async function writeXlsx(workbook: Workbook, out: Writable): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  writer.creator = "ti-champions";
  const used = new Set<string>();
  for (const sheet of workbook.sheets) {
    const worksheet = writer.addWorksheet(sheetName(sheet.name, used), { views: [{ state: "frozen", ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column, index) => {
      const numFmt = numberFormats[column.type ?? "text"];
      return { header: column.header, key: String(index), width: column.width ?? Math.max(10, column.header.length + 2), ...(numFmt ? { style: { numFmt } } : {}) };
    });
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    header.commit();
    let written = 0;
    for await (const cells of sheet.rows) {
      worksheet.addRow(cells.map((cell, index) => cellValue(cell, sheet.columns[index], workbook.timeZone))).commit();
      if (++written % drainEvery === 0) await drained(out);
    }
    worksheet.commit();
  }
  await writer.commit();
}

/** Waits while the reader is behind; gives up if they have gone, so no one's half-read export keeps paging the database. */
async function drained(out: Writable): Promise<void> {
  if (out.destroyed) throw new Error("The download was closed before it was written.");
  if (!out.writableNeedDrain) return;
  const stop = new AbortController();
  const closed = once(out, "close", { signal: stop.signal }).then(() => {
    throw new Error("The download was closed before it was written.");
  });
  try {
    await Promise.race([once(out, "drain", { signal: stop.signal }), closed]);
  } finally {
    stop.abort();
  }
}

export const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function cellValue(cell: SheetCell, column: SheetColumn | undefined, timeZone: string): ExcelJS.CellValue {
  if (cell === null) return null;
  if (typeof cell === "string") return cell.replace(notXml, "").slice(0, cellLimit);
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : null;
  if (column?.type !== "time") return cell;
  // The spreadsheet shows a date's UTC fields: give it the wall-clock time in the network's zone.
  const local = DateTime.fromJSDate(cell, { zone: timeZone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** A sheet name as spreadsheets allow: at most 31 characters, none of []:*?/\, and unique. */
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, " ").trim().slice(0, 31) || "Sheet";
  let candidate = base;
  for (let suffix = 2; used.has(candidate.toLowerCase()); suffix++) candidate = `${base.slice(0, 31 - String(suffix).length - 1)} ${suffix}`;
  used.add(candidate.toLowerCase());
  return candidate;
}
