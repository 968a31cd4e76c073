/**
 * Draws the two Teams icons: `color.png` (192×192, a calm teal rounded square) and `outline.png`
 * (32×32, white on transparent, as Teams asks). The mark is six dots in a ring joined to one in the
 * middle: the six principles, and a network held together. Run once with
 * `npx tsx manifests/teams/make-icons.ts`; the PNGs are committed.
 */
import { writeFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";

type Rgba = readonly [number, number, number, number];
/** How much of the point (x, y), in 0..1 icon space, a shape covers: 1 inside, 0 outside. */
type Shape = (x: number, y: number) => boolean;

const teal: Rgba = [31, 122, 120, 255];
const white: Rgba = [255, 255, 255, 255];

const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

function roundedSquare(inset: number, radius: number): Shape {
  return (x, y) => {
    const dx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
    const dy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
    return dx * dx + dy * dy <= radius * radius;
  };
}

function segment(ax: number, ay: number, bx: number, by: number, halfWidth: number): Shape {
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= halfWidth * halfWidth;
  };
}

/** Six dots on a ring, spokes to a dot in the middle; `scale` shrinks it into Teams' safe area. */
function mark(scale: number, dot: number, spoke: number): Shape {
  const at = (v: number) => 0.5 + (v - 0.5) * scale;
  const ring = Array.from({ length: 6 }, (_, i) => {
    const angle = -Math.PI / 2 + (i * Math.PI) / 3;
    return [at(0.5 + 0.36 * Math.cos(angle)), at(0.5 + 0.36 * Math.sin(angle))] as const;
  });
  const parts: Shape[] = [
    circle(0.5, 0.5, dot * scale * 1.25),
    ...ring.map(([x, y]) => circle(x, y, dot * scale)),
    ...ring.map(([x, y]) => segment(0.5, 0.5, x, y, spoke * scale)),
  ];
  return (x, y) => parts.some((part) => part(x, y));
}

/** Paints layers back to front with 4×4 supersampling, so edges are smooth. */
function render(size: number, layers: ReadonlyArray<readonly [Shape, Rgba]>): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          const hit = layers.findLast(([shape]) => shape(x, y));
          if (hit) [r, g, b, a] = [r + hit[1][0] * hit[1][3], g + hit[1][1] * hit[1][3], b + hit[1][2] * hit[1][3], a + hit[1][3]];
        }
      }
      const offset = (py * size + px) * 4;
      // Colour is averaged over the covered samples only (straight alpha), alpha over all of them.
      if (a > 0) pixels.set([r / a, g / a, b / a].map(Math.round), offset);
      pixels[offset + 3] = Math.round(a / (n * n));
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG: every scanline gets filter type 0 (none). */
function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

const here = (name: string) => new URL(name, import.meta.url);

writeFileSync(here("color.png"), encodePng(192, render(192, [[roundedSquare(0, 0.2), teal], [mark(0.62, 0.085, 0.022), white]])));
writeFileSync(here("outline.png"), encodePng(32, render(32, [[mark(1, 0.1, 0.035), white]])));
console.log("wrote manifests/teams/color.png (192×192) and manifests/teams/outline.png (32×32)");
