// Chart drawing: each kind rendered to PNG (Vega-Lite to SVG, resvg to PNG) a few times; prints the
// median time, the image size and the bytes. `--out DIR` also writes the PNGs there to look at.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { renderChartPng } from "../src/charts/render-chart.js";
import type { Chart } from "../src/core/kernel/view.js";

const months = ["Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"];
const principles = ["Safety", "Trustworthiness", "Choice", "Collaboration", "Empowerment", "Cultural humility"];
const series = (name: string, values: number[]) => ({ name, points: months.map((x, index) => ({ x, y: values[index]! })) });

const sampleCharts: Record<string, Chart> = {
  bar: { kind: "bar", title: "Updates per month", xTitle: "Month", yTitle: "Updates", series: [series("Updates", [12, 19, 7, 23, 31, 18])] },
  "horizontal-bar": {
    kind: "horizontal-bar",
    title: "Updates by principle, November 2026",
    xTitle: "Principle",
    yTitle: "Updates",
    series: [{ name: "Updates", points: principles.map((x, index) => ({ x, y: [14, 9, 11, 6, 8, 3][index]! })) }],
  },
  "stacked-bar": {
    kind: "stacked-bar",
    title: "Updates per month by principle",
    xTitle: "Month",
    yTitle: "Updates",
    series: [series("Safety", [4, 6, 2, 8, 9, 5]), series("Choice", [3, 5, 1, 6, 8, 4]), series("Collaboration", [5, 8, 4, 9, 14, 9])],
  },
  "grouped-bar": {
    kind: "grouped-bar",
    title: "Invites and attendance per month",
    xTitle: "Month",
    yTitle: "People",
    series: [series("Invited", [40, 42, 38, 45, 50, 47]), series("Attended", [22, 30, 17, 33, 41, 29])],
  },
  line: {
    kind: "line",
    title: "Pulse average by sector (1 to 5)",
    xTitle: "Month",
    yTitle: "Average answer",
    series: [series("Health", [3.2, 3.4, 3.3, 3.6, 3.9, 4.1]), series("Education", [2.9, 3.1, 3.5, 3.4, 3.6, 3.8]), series("Housing", [3.5, 3.3, 3.4, 3.7, 3.6, 3.9])],
  },
  donut: {
    kind: "donut",
    title: "Champions by sector",
    xTitle: "Sector",
    series: [{ name: "Champions", points: [{ x: "Health", y: 34 }, { x: "Education", y: 21 }, { x: "Housing", y: 17 }, { x: "Police", y: 9 }, { x: "Voluntary", y: 12 }] }],
  },
  empty: { kind: "bar", title: "Updates per month", xTitle: "Month", yTitle: "Updates", series: [{ name: "Updates", points: [] }] },
};

async function main(): Promise<void> {
  const outFlag = process.argv.indexOf("--out");
  const out = outFlag > 0 ? process.argv[outFlag + 1] : undefined;
  if (out) mkdirSync(out, { recursive: true });
  const repeats = 7;
  const started = performance.now();
  await renderChartPng(sampleCharts.bar!);
  console.log(`first render (loads vega, fonts and resvg): ${Math.round(performance.now() - started)} ms`);
  console.log("kind            median ms   pixels     bytes");
  for (const [name, chart] of Object.entries(sampleCharts)) {
    const times: number[] = [];
    let png: Buffer = Buffer.alloc(0);
    for (let run = 0; run < repeats; run++) {
      const start = performance.now();
      png = await renderChartPng(chart);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const pixels = `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
    console.log(`${name.padEnd(16)}${times[repeats >> 1]!.toFixed(1).padStart(9)}   ${pixels.padEnd(9)}${String(png.length).padStart(7)}`);
    if (out) writeFileSync(join(out, `${name}.png`), png);
  }
}

await main();
