import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeMrkdwn } from "../adapters/slack/mrkdwn.js";
import { renderMessage } from "../adapters/slack/render.js";
import { teamsChartColours } from "../adapters/teams/render-chart.js";
import { renderCard, type CardElement } from "../adapters/teams/render.js";
import { noDataMessage } from "../src/charts/chart-spec.js";
import { okabeIto, toneColours } from "../src/charts/palette.js";
import { chartImage, renderChartPng, renderChartSvg } from "../src/charts/render-chart.js";
import type { CoreContext } from "../src/core/kernel/context.js";
import type { Download } from "../src/core/kernel/feature.js";
import { message, type Block, type Chart } from "../src/core/kernel/view.js";
import { createDownloads, downloadsPrefix } from "../src/http/downloads.js";
import { createHttpServer, type HttpServer } from "../src/http/server.js";
import { createSignedLinks } from "../src/http/signed-links.js";
import { createLogger } from "../src/log.js";

const months = ["Sep 2026", "Oct 2026", "Nov 2026"];
const series = (name: string, values: number[]) => ({ name, points: months.map((x, index) => ({ x, y: values[index]! })) });

const charts: Record<Chart["kind"], Chart> = {
  bar: { kind: "bar", title: "Updates per month", xTitle: "Month", yTitle: "Updates", series: [series("Updates", [12, 19, 7])] },
  "horizontal-bar": {
    kind: "horizontal-bar",
    title: "Updates by principle",
    xTitle: "Principle",
    yTitle: "Updates",
    series: [{ name: "Updates", points: [{ x: "Safety", y: 14 }, { x: "Trustworthiness", y: 9 }, { x: "Choice", y: 11 }] }],
  },
  "stacked-bar": {
    kind: "stacked-bar",
    title: "Updates by principle per month",
    xTitle: "Month",
    yTitle: "Updates",
    series: [series("Safety", [4, 6, 2]), series("Choice", [3, 5, 1])],
  },
  "grouped-bar": {
    kind: "grouped-bar",
    title: "Invited and attended",
    xTitle: "Month",
    yTitle: "People",
    series: [series("Invited", [40, 42, 38]), series("Attended", [22, 30, 17])],
  },
  line: {
    kind: "line",
    title: "Pulse average by sector",
    xTitle: "Month",
    yTitle: "Average answer",
    series: [series("Health", [3.2, 3.4, 3.3]), series("Education", [2.9, 3.1, 3.5])],
  },
  donut: {
    kind: "donut",
    title: "Champions by sector",
    xTitle: "Sector",
    series: [{ name: "Champions", points: [{ x: "Health", y: 34 }, { x: "Education", y: 21 }, { x: "Housing", y: 17 }] }],
  },
};

/** Width, height and RGBA pixels of an 8-bit RGBA PNG, decoded here so the test trusts nothing it checks. */
function decodePng(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.toString("latin1", 12, 16)).toBe("IHDR");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect([png[24], png[25], png[28]]).toEqual([8, 6, 0]); // 8 bits, RGBA, not interlaced
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString("latin1", at + 4, at + 8) === "IDAT") idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!;
    for (let column = 0; column < stride; column++) {
      const value = raw[row * (stride + 1) + 1 + column]!;
      const left = column >= 4 ? pixels[row * stride + column - 4]! : 0;
      const up = row > 0 ? pixels[(row - 1) * stride + column]! : 0;
      const upLeft = row > 0 && column >= 4 ? pixels[(row - 1) * stride + column - 4]! : 0;
      const paeth = () => {
        const estimate = left + up - upLeft;
        const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
        return a <= b && a <= c ? left : b <= c ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter]!;
      pixels[row * stride + column] = (value + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

/** Pixels in rows `from` to `to` (fractions of the height) dark enough to be text, not white or bars. */
function inkIn(image: { width: number; height: number; pixels: Uint8Array }, from: number, to: number): number {
  let ink = 0;
  for (let row = Math.floor(image.height * from); row < Math.floor(image.height * to); row++) {
    for (let column = 0; column < image.width; column++) {
      const at = (row * image.width + column) * 4;
      if (image.pixels[at]! < 110 && image.pixels[at + 1]! < 110 && image.pixels[at + 2]! < 110) ink++;
    }
  }
  return ink;
}

describe("chart images", () => {
  it.each(Object.values(charts))("draws a $kind chart as a PNG of 960x540, well under Teams' 1024x1024 and 1 MB", async (chart) => {
    const png = await renderChartPng(chart);
    const image = decodePng(png);
    expect({ width: image.width, height: image.height }).toEqual({ width: 960, height: 540 });
    expect(png.length).toBeLessThan(1024 * 1024);
    // The title is dark text on white across the top; without the bundled font it would be blank.
    expect(inkIn(image, 0, 0.1)).toBeGreaterThan(500);
  });

  it.each(Object.values(charts))("sets the title, axis titles, categories and legend of a $kind chart as text", async (chart) => {
    const svg = await renderChartSvg(chart);
    expect(svg).toMatch(/^<svg[^>]+width="640" height="360"/);
    expect(svg).toContain(`font-family="DejaVu Sans"`);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!);
    expect(texts).toContain(chart.title);
    if (chart.kind === "donut") {
      expect(texts).toEqual(expect.arrayContaining(["Sector", "Health: 34 (47%)", "Education: 21 (29%)", "Housing: 17 (24%)"]));
      return;
    }
    expect(texts).toEqual(expect.arrayContaining([chart.xTitle!, chart.yTitle!, ...chart.series[0]!.points.map((point) => point.x)]));
    if (chart.series.length > 1) expect(texts).toEqual(expect.arrayContaining(chart.series.map((one) => one.name)));
  });

  it("colours series from the Okabe-Ito palette in order, and shows single-series bar values", async () => {
    const stacked = (await renderChartSvg(charts["stacked-bar"])).toUpperCase();
    expect(stacked).toContain(`FILL="${okabeIto[0]}"`);
    expect(stacked).toContain(`FILL="${okabeIto[1]}"`);
    const bar = await renderChartSvg(charts.bar);
    const texts = [...bar.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!);
    expect(texts).toEqual(expect.arrayContaining(["12", "19", "7"]));
  });

  it("draws a series with a tone (RAG) in its tone's colour, whatever its place", async () => {
    const chart: Chart = {
      kind: "stacked-bar",
      title: "RAG by cycle",
      series: [
        { name: "Green", tone: "green", points: [{ x: "#1", y: 4 }] },
        { name: "Red", tone: "red", points: [{ x: "#1", y: 2 }] },
        { name: "Amber", tone: "amber", points: [{ x: "#1", y: 3 }] },
      ],
    };
    const svg = (await renderChartSvg(chart)).toUpperCase();
    for (const colour of Object.values(toneColours)) if (colour !== toneColours.none) expect(svg).toContain(`FILL="${colour}"`);
    expect(svg).not.toContain(`FILL="${okabeIto[0]}"`);
  });

  it("says there is no data for a chart with nothing to draw, under its title", async () => {
    const empties: Chart[] = [
      { kind: "bar", title: "Updates per month", series: [] },
      { kind: "line", title: "Pulse average", series: [{ name: "Health", points: [{ x: "Oct", y: Number.NaN }] }] },
      { kind: "donut", title: "Champions by sector", series: [{ name: "Champions", points: [{ x: "Health", y: 0 }] }] },
    ];
    for (const chart of empties) {
      const svg = await renderChartSvg(chart);
      expect(svg).toContain(noDataMessage);
      expect(svg).toContain(chart.title);
      const image = decodePng(await renderChartPng(chart));
      expect(inkIn(image, 0.45, 0.6)).toBeGreaterThan(500);
    }
  });

  it("escapes what people typed in the SVG and draws long titles and labels without failing", async () => {
    const chart: Chart = {
      kind: "grouped-bar",
      title: `<script>alert(1)</script> & ${"a very long title ".repeat(20)}`,
      series: [
        { name: "Voluntary & community <sector>", points: [{ x: "Voluntary and community sector organisations", y: 3 }] },
        { name: "Health", points: [{ x: "Police", y: 2 }] },
      ],
    };
    const svg = await renderChartSvg(chart);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    decodePng(await renderChartPng(chart));
  });

  it("keeps a wider or sharper image within 1024 pixels a side", async () => {
    for (const options of [{ width: 1024, scale: 2 }, { width: 800, scale: 2 }, { width: 5000 }]) {
      const image = decodePng(await renderChartPng(charts.bar, options));
      expect(image.width).toBeLessThanOrEqual(chartImage.maxPixels);
      expect(image.height).toBeLessThanOrEqual(chartImage.maxPixels);
      expect(image.width / image.height).toBeCloseTo(16 / 9, 1);
    }
  });
});

const chartBlock = (chart: Chart, imageUrl?: string): Extract<Block, { type: "chart" }> => ({
  type: "chart",
  chart,
  alt: `${chart.title}: Sep 12, Oct 19, Nov 7`,
  ...(imageUrl ? { imageUrl } : {}),
});
const imageUrl = "https://ti.example.org/downloads/charts/updates.png?expires=1795000000&signature=abc";

describe("charts on Slack", () => {
  it("shows the image Slack fetches from the signed link, with its alt text and title", () => {
    const { blocks } = renderMessage(message("Updates", chartBlock(charts.bar, imageUrl)));
    expect(blocks).toEqual([
      { type: "image", image_url: imageUrl, alt_text: "Updates per month: Sep 12, Oct 19, Nov 7", title: { type: "plain_text", text: "Updates per month", emoji: true } },
    ]);
  });

  it("shows the title and the description in words when there is no image link", () => {
    const { blocks } = renderMessage(message("Updates", { ...chartBlock(charts.bar), alt: "Sep <12> & Oct 19" }));
    expect(blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "Updates per month" } },
      { type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn("Sep <12> & Oct 19") }] },
    ]);
  });
});

describe("charts on Teams", () => {
  const chartElement = (chart: Chart, url?: string): CardElement => renderCard(message("Chart", chartBlock(chart, url))).card.body[0]!;

  it("draws each kind with Teams' own chart element and the image as its fallback", () => {
    const expected: Record<Chart["kind"], Record<string, unknown>> = {
      bar: { type: "Chart.VerticalBar", color: "categoricalBlue", showBarValues: true, data: [{ x: "Sep 2026", y: 12 }, { x: "Oct 2026", y: 19 }, { x: "Nov 2026", y: 7 }] },
      "horizontal-bar": { type: "Chart.HorizontalBar", color: "categoricalBlue", data: [{ x: "Safety", y: 14 }, { x: "Trustworthiness", y: 9 }, { x: "Choice", y: 11 }] },
      "stacked-bar": { type: "Chart.VerticalBar.Grouped", stacked: true, data: [{ legend: "Safety", color: "categoricalBlue" }, { legend: "Choice", color: "categoricalMarigold" }] },
      "grouped-bar": { type: "Chart.VerticalBar.Grouped", data: [{ legend: "Invited", values: [{ x: "Sep 2026", y: 40 }, { x: "Oct 2026", y: 42 }, { x: "Nov 2026", y: 38 }] }, { legend: "Attended" }] },
      line: { type: "Chart.Line", data: [{ legend: "Health", color: "categoricalBlue" }, { legend: "Education", color: "categoricalMarigold" }] },
      donut: { type: "Chart.Donut", data: [{ legend: "Health", value: 34, color: "categoricalBlue" }, { legend: "Education", value: 21 }, { legend: "Housing", value: 17 }] },
    };
    for (const chart of Object.values(charts)) {
      const element = chartElement(chart, imageUrl);
      expect(element).toMatchObject({ ...expected[chart.kind], title: chart.title });
      expect(element.fallback).toEqual({ type: "Image", url: imageUrl, altText: `${chart.title}: Sep 12, Oct 19, Nov 7` });
      if (chart.kind !== "donut") expect(element).toMatchObject({ xAxisTitle: chart.xTitle, yAxisTitle: chart.yTitle });
      if (chart.kind === "grouped-bar") expect(element).not.toHaveProperty("stacked");
    }
  });

  it("uses only Teams' named colours, none of them red or green", () => {
    const many: Chart = { kind: "line", title: "Ten", series: Array.from({ length: 10 }, (_, index) => series(`Series ${index}`, [1, 2, 3])) };
    const colours = (chartElement(many).data as { color: string }[]).map((one) => one.color);
    for (const colour of colours) expect(teamsChartColours).toContain(colour);
    expect(colours.slice(0, 8)).toEqual([...teamsChartColours]);
    expect(teamsChartColours.filter((colour) => /red|green|good|attention/i.test(colour))).toEqual([]);
  });

  it("falls back to the description in words without an image, and shows only that when there is no data", () => {
    expect(chartElement(charts.bar).fallback).toEqual({ type: "TextBlock", text: "Updates per month: Sep 12, Oct 19, Nov 7", wrap: true });
    expect(chartElement({ kind: "bar", title: "Updates per month", series: [] })).toEqual({ type: "TextBlock", text: "Updates per month: Sep 12, Oct 19, Nov 7", wrap: true });
    expect(chartElement({ kind: "donut", title: "Nothing", series: [{ name: "x", points: [{ x: "a", y: 0 }] }] }, imageUrl)).toMatchObject({ type: "Image", url: imageUrl });
  });
});

describe("chart downloads", () => {
  let server: HttpServer;
  let base: string;
  const pngBody = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
  const downloads: Download[] = [
    {
      path: /^\/downloads\/charts\/(\w+)\.png$/,
      async open(_ctx, match) {
        const chart = charts[match[1]!.replace("_", "-") as Chart["kind"]];
        return chart ? { kind: "chart", filename: `${match[1]}.png`, chart } : null;
      },
    },
    { path: /^\/downloads\/raw\.bin$/, open: async () => ({ kind: "file", filename: "raw.bin", contentType: "application/octet-stream", body: pngBody }) },
  ];
  const links = createSignedLinks("chart-secret", () => base);
  const inAnHour = () => new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    // These downloads read nothing from the context.
    const handler = createDownloads({} as CoreContext, links, downloads);
    server = createHttpServer({ routes: new Map(), prefixes: new Map([[downloadsPrefix, handler]]), health: async () => ({ database: "none" }), log: createLogger("silent") });
    const address = await server.listen(0, "127.0.0.1");
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => server.close());

  it("serves a chart drawn as a PNG through a signed link, shown in place and never cached", async () => {
    const response = await fetch(links.sign("/downloads/charts/stacked_bar.png", inAnHour()));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toBe('inline; filename="stacked_bar.png"');
    const png = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get("content-length"))).toBe(png.length);
    expect(decodePng(png)).toMatchObject({ width: 960, height: 540 });
  });

  it("refuses a forged chart link and serves a binary file byte for byte", async () => {
    const forged = new URL(links.sign("/downloads/charts/bar.png", inAnHour()));
    forged.pathname = "/downloads/charts/line.png";
    expect((await fetch(forged)).status).toBe(403);
    const raw = await fetch(links.sign("/downloads/raw.bin", inAnHour()));
    expect(raw.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(pngBody);
  });
});
