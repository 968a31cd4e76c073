import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as vega from "vega";

/** The one family charts are drawn in; its files ship in `dejavu-fonts-ttf`, so a machine with no fonts still draws text. */
export const chartFont = "DejaVu Sans";

const fontFolder = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");

export const chartFontFiles = {
  regular: join(fontFolder, "DejaVuSans.ttf"),
  bold: join(fontFolder, "DejaVuSans-Bold.ttf"),
} as const;

type Advances = Map<number, number>;
const advances: { regular?: Advances; bold?: Advances } = {};

/**
 * Text width in pixels as resvg will draw it, from the font's own advance widths (kerning aside).
 * Characters the font lacks count a full em, so a layout errs wide rather than overlapping.
 */
export function textWidth(text: string, fontSize: number, bold: boolean): number {
  const weight = bold ? "bold" : "regular";
  const table = (advances[weight] ??= readAdvances(readFileSync(chartFontFiles[weight])));
  let ems = 0;
  for (const character of text) ems += table.get(character.codePointAt(0)!) ?? 1;
  return ems * fontSize;
}

interface VegaTextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/**
 * Vega measures text with node-canvas when it is installed and otherwise guesses 0.8 em a character,
 * which spaces labels and legends loosely and truncates early. It takes a measuring function of one's
 * own (vl-convert does the same); its typings leave `textMetrics` out, so it is reached by name.
 */
export function measureVegaTextWithChartFont(): void {
  const { textMetrics } = vega as unknown as { textMetrics: { width: (item: VegaTextItem, text: unknown) => number } };
  textMetrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const weight = item.fontWeight;
    const bold = weight === "bold" || weight === "bolder" || Number(weight) >= 600;
    const width = textWidth(text == null ? "" : String(text).trim(), size, bold);
    // Vega truncates a label past its limit to fit; the drawn width is then the limit.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

/** Advance widths in ems by code point, from a TrueType file's `cmap` (format 4), `hmtx`, `hhea` and `head`. */
export function readAdvances(font: Buffer): Advances {
  const tables = new Map<string, number>();
  for (let record = 12; record < 12 + font.readUInt16BE(4) * 16; record += 16) {
    tables.set(font.toString("latin1", record, record + 4), font.readUInt32BE(record + 8));
  }
  const at = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`Font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = font.readUInt16BE(at("head") + 18);
  const metricCount = font.readUInt16BE(at("hhea") + 34);
  const hmtx = at("hmtx");
  const advanceOf = (glyph: number) => font.readUInt16BE(hmtx + 4 * Math.min(glyph, metricCount - 1)) / unitsPerEm;

  const cmap = at("cmap");
  let subtable: number | undefined;
  for (let index = 0; index < font.readUInt16BE(cmap + 2); index++) {
    const record = cmap + 4 + index * 8;
    const platform = font.readUInt16BE(record);
    const encoding = font.readUInt16BE(record + 2);
    const offset = cmap + font.readUInt32BE(record + 4);
    if (((platform === 3 && encoding === 1) || platform === 0) && font.readUInt16BE(offset) === 4) subtable = offset;
  }
  if (subtable === undefined) throw new Error("Font has no Unicode BMP cmap");

  const segments = font.readUInt16BE(subtable + 6) / 2;
  const ends = subtable + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  const table: Advances = new Map();
  for (let segment = 0; segment < segments; segment++) {
    const start = font.readUInt16BE(starts + segment * 2);
    const end = font.readUInt16BE(ends + segment * 2);
    const delta = font.readInt16BE(deltas + segment * 2);
    const rangeOffsetAt = rangeOffsets + segment * 2;
    const rangeOffset = font.readUInt16BE(rangeOffsetAt);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph = code;
      if (rangeOffset !== 0) {
        glyph = font.readUInt16BE(rangeOffsetAt + rangeOffset + (code - start) * 2);
        if (glyph === 0) continue;
      }
      glyph = (glyph + delta) & 0xffff;
      if (glyph !== 0) table.set(code, advanceOf(glyph));
    }
  }
  return table;
}
