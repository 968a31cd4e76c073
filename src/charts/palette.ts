/**
 * Okabe and Ito's categorical palette, told apart under the common colour-vision deficiencies; no red
 * and green pair. Blue comes first, the pale yellow late since it shows faintly on white.
 */
export const okabeIto = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#D55E00", // vermillion
  "#F0E442", // yellow
  "#000000", // black
] as const;

/** One colour per series or part, in order, repeating past eight. */
export function seriesColours(count: number): string[] {
  return Array.from({ length: count }, (_, index) => okabeIto[index % okabeIto.length]!);
}

/** The colours a series' `tone` asks for, from the same colour-blind-safe set: vermillion, orange, bluish green, grey. */
export const toneColours = { red: "#D55E00", amber: "#E69F00", green: "#009E73", none: "#B3B3B3" } as const;

/** Each named series' colour: its tone's where it has one, else the palette's, in order. */
export function coloursOf(series: readonly { name: string; tone?: keyof typeof toneColours }[], names: readonly string[]): string[] {
  const palette = seriesColours(names.length);
  return names.map((name, index) => {
    const tone = series.find((one) => one.name === name)?.tone;
    return tone ? toneColours[tone] : palette[index]!;
  });
}

/** The ink charts use for text and axes: dark enough for small type on white. */
export const ink = { text: "#1f1f1f", muted: "#4d4d4d", grid: "#e3e3e3", axis: "#8c8c8c" } as const;
