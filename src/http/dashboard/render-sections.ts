import type { OrganisationRow } from "../../core/insights/dashboard-organisations.js";
import { trainingColumns, trainingNumberColumns, type TrainingRow } from "../../core/insights/training-table.js";
import { altText, chartTable, count, type InsightSection } from "../../core/insights/section.js";
import type { Chart } from "../../core/kernel/view.js";
import { escapeHtml, html, trusted, type Html } from "./html.js";

/** A chart as the page shows it: drawn as SVG, with its figures' CSV at a signed link. */
export interface ShownChart {
  name: string;
  chart: Chart;
  svg: string;
  csvHref: string;
}

/** One section of the figures, with its charts drawn and anything the filters don't change said beside it. */
export interface ShownSection {
  section: InsightSection;
  charts: ShownChart[];
  asides: string[];
}

/** A section: its heading, headline figures, each chart with its figures as a table, and the figures in words. */
export function sectionHtml({ section, charts, asides }: ShownSection): Html {
  const headingId = `section-${section.key}`;
  return html`<section class="panel" aria-labelledby="${headingId}">
<h2 id="${headingId}">${section.title}</h2>
${asides.map((aside) => html`<p class="note">${aside}</p>`)}
<dl class="headline">${section.headline.map((figure) => html`<div><dt>${figure.label}</dt><dd>${figure.value}</dd></div>`)}</dl>
<div class="charts">${charts.map((chart) => chartHtml(section, chart))}</div>
${section.lines.length > 0 ? html`<h3>In words</h3><ul>${section.lines.map((line) => html`<li>${line}</li>`)}</ul>` : ""}
${section.note ? html`<p class="note">${section.note}</p>` : ""}
</section>`;
}

/** The chart draws its own title, so the caption is there for screen readers; the table is its figures for everyone. */
function chartHtml(section: InsightSection, { name, chart, svg, csvHref }: ShownChart): Html {
  const id = `chart-${section.key}-${name}`;
  const table = chartTable(chart);
  const body =
    table.rows.length > 0
      ? table.rows.map(([category, ...values]) => html`<tr><th scope="row">${category}</th>${values.map((value) => html`<td class="number">${count(value)}</td>`)}</tr>`)
      : html`<tr><td colspan="${table.columns.length}">No figures for this period.</td></tr>`;
  return html`<figure>
<figcaption class="visually-hidden" id="${id}">${chart.title}</figcaption>
${labelledSvg(svg, altText(chart))}
<details><summary>The figures as a table<span class="visually-hidden">: ${chart.title}</span></summary>
<div class="scroll" role="region" aria-labelledby="${id}-table" tabindex="0"><table><caption id="${id}-table">${chart.title}</caption>
<thead><tr>${table.columns.map((column, index) => html`<th scope="col"${index > 0 ? trusted(' class="number"') : ""}>${column}</th>`)}</tr></thead>
<tbody>${body}</tbody></table></div>
</details>
<p><a href="${csvHref}" download>Download these figures (CSV)<span class="visually-hidden">: ${chart.title}</span></a></p>
</figure>`;
}

/**
 * The chart's SVG as one image with its figures in words for its name: Vega's own parts are then
 * presentational, and the size comes from the page so it fits any width.
 */
function labelledSvg(svg: string, alt: string): Html {
  return trusted(svg.replace(/^<svg\b([^>]*)>/, (_, attributes: string) => `<svg${attributes.replace(/\s(?:width|height)="[^"]*"/g, "")} role="img" aria-label="${escapeHtml(alt)}">`));
}

/** The table of organisations, one row each, with the RAG written as a word beside its colour. */
export function organisationsHtml(rows: readonly OrganisationRow[], caption: string, updatesHeading: string, csvHref: string): Html {
  const day = (date: Date) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(date);
  const ragClass = (rag: string) => (/^(Red|Amber|Green)$/.test(rag) ? `rag rag-${rag.toLowerCase()}` : "");
  const number = (value: number) => html`<td class="number">${count(value)}</td>`;
  const columns = ["Organisation", "Sector", "Locality", "Pledge signed", "Champions", "Key actions done", "Key actions in progress", "Key actions not started", "Last report RAG", updatesHeading];
  return html`<section class="panel" aria-labelledby="organisations-heading">
<h2 id="organisations-heading">Each organisation</h2>
<p class="note">Pledges, champions and RAG as they were at the end of the period; key actions as they are now.</p>
<div class="scroll" role="region" aria-labelledby="organisations-caption" tabindex="0">
<table><caption id="organisations-caption">${caption}</caption>
<thead><tr>${columns.map((column, index) => html`<th scope="col"${index >= 4 && index !== 8 ? trusted(' class="number"') : ""}>${column}</th>`)}</tr></thead>
<tbody>${
    rows.length > 0
      ? rows.map(
          (row) => html`<tr><th scope="row">${row.name}</th><td>${row.sector}</td><td>${row.locality}</td><td>${row.pledgeSignedOn ? day(row.pledgeSignedOn) : "not yet"}</td>${number(row.champions)}${number(row.keyActions.done)}${number(row.keyActions.inProgress)}${number(row.keyActions.notStarted)}<td><span class="${ragClass(row.lastRag)}">${row.lastRag}</span></td>${number(row.updates)}</tr>`,
        )
      : html`<tr><td colspan="${columns.length}">No organisations match these filters.</td></tr>`
  }</tbody></table></div>
<p><a href="${csvHref}" download>Download this table (CSV)<span class="visually-hidden">: ${caption}</span></a></p>
</section>`;
}

/** The training table: one row an organisation, counts only, with its target and where it stands in words. */
export function trainingTableHtml(rows: readonly TrainingRow[], caption: string, csvHref: string): Html {
  const cell = (value: string | number | null, index: number) =>
    trainingNumberColumns.has(index) ? html`<td class="number">${value === null ? "–" : count(Number(value))}</td>` : html`<td>${value ?? (trainingColumns[index] === "Target" ? "No target" : "–")}</td>`;
  return html`<section class="panel" aria-labelledby="training-table-heading">
<h2 id="training-table-heading">Training in each organisation</h2>
<p class="note">Members at each level at the end of the period, as their profiles say; targets count members at or above the target's level. Counts only.</p>
<div class="scroll" role="region" aria-labelledby="training-caption" tabindex="0">
<table><caption id="training-caption">${caption}</caption>
<thead><tr>${trainingColumns.map((column, index) => html`<th scope="col"${trainingNumberColumns.has(index) ? trusted(' class="number"') : ""}>${column}</th>`)}</tr></thead>
<tbody>${
    rows.length > 0
      ? rows.map(([name, ...rest]) => html`<tr><th scope="row">${name ?? ""}</th>${rest.map((value, index) => cell(value, index + 1))}</tr>`)
      : html`<tr><td colspan="${trainingColumns.length}">No organisations match these filters.</td></tr>`
  }</tbody></table></div>
<p><a href="${csvHref}" download>Download this table (CSV)<span class="visually-hidden">: ${caption}</span></a></p>
</section>`;
}
