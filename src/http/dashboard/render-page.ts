import type { DashboardFilterName, DashboardRequest } from "../../core/insights/dashboard.js";
import { dashboardPath } from "../../core/insights/dashboard.js";
import type { OrganisationRow } from "../../core/insights/dashboard-organisations.js";
import { html, trusted, type Html } from "./html.js";
import { organisationsHtml, sectionHtml, trainingTableHtml, type ShownSection } from "./render-sections.js";
import type { TrainingRow } from "../../core/insights/training-table.js";
import { dashboardStyles } from "./styles.js";

/** Everything the page shows, worked out before it is written. */
export interface DashboardPage {
  networkName: string;
  request: DashboardRequest;
  /** The scope in words: `Health organisations in Calderdale`. */
  scopeText: string;
  /** When the link stops working, in words. */
  expiresText: string;
  /** The link's own `expires` and `signature`, carried along by the filters' form. */
  signed: { expires: string; signature: string };
  /** The page again with no filters but the period. */
  clearHref: string;
  sections: ShownSection[];
  organisations: { rows: OrganisationRow[]; csvHref: string };
  /** Training by organisation, the table under the training section. */
  training: { rows: TrainingRow[]; csvHref: string };
  /** For the page's inline styles, under its content security policy. */
  nonce: string;
}

const periodWords = ["this month", "last month", "this quarter", "last quarter", "this year", "last year", "last 12 months"];

/** The dashboard as one server-rendered page: no script, one h1, an h2 a section, every control labelled. */
export function renderDashboardPage(page: DashboardPage): string {
  const { request } = page;
  const principle = request.choices.principles.find((choice) => choice.id === request.scope.principleId);
  return `<!doctype html>\n${html`<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${page.networkName} insights: ${page.scopeText}, ${request.period.label}</title>
<style nonce="${page.nonce}">${trusted(dashboardStyles)}</style>
</head>
<body>
<a class="skip" href="#figures">Skip to the figures</a>
<header class="banner"><div class="wrap">
<p class="network">${page.networkName}: insights for coordinators</p>
<h1>The network's figures, ${request.period.label}</h1>
<p class="scope">Showing: ${page.scopeText}.</p>
</div></header>
<main class="wrap">
<p class="expiry">This page is just for you. Its link works until ${page.expiresText}; anyone who has the link can see these figures, so please don't forward it. For a new link, ask the bot for <strong>insights</strong> again.</p>
${filtersHtml(page)}
<div id="figures" tabindex="-1">
${page.sections.map((section) => (section.section.key === "training" ? html`${sectionHtml(section)}${trainingTableHtml(page.training.rows, `Training in each organisation, ${request.period.label}: ${page.scopeText}`, page.training.csvHref)}` : sectionHtml(section)))}
${organisationsHtml(
  page.organisations.rows,
  `Organisations, ${request.period.label}: ${page.scopeText}`,
  principle ? `Updates in the period tagged ${principle.name}` : "Updates in the period",
  page.organisations.csvHref,
)}
</div>
</main>
<footer class="wrap"><p>RAG says where an organisation is, never a grade. Pulse results show only for groups big enough to keep answers anonymous, and check-ins are private: only their counts appear here, never what anyone wrote.</p></footer>
</body>
</html>`.text}\n`;
}

function filtersHtml({ request, signed, clearHref }: DashboardPage): Html {
  const { filters, choices, problems } = request;
  const problemOf = (name: DashboardFilterName) => problems.find((problem) => problem.filter === name);
  const select = (name: DashboardFilterName, label: string, all: string, options: { value: string; label: string }[]) => {
    const problem = problemOf(name);
    return html`<div class="field">
<label for="${name}">${label}</label>
${problem ? html`<p class="error" id="${name}-error">${problem.text}</p>` : ""}
<select id="${name}" name="${name}"${problem ? html` aria-describedby="${name}-error"` : ""}>
<option value="">${all}</option>
${options.map((option) => html`<option value="${option.value}"${option.value === filters[name] ? trusted(" selected") : ""}>${option.label}</option>`)}
</select>
</div>`;
  };
  const periodProblem = problemOf("period");
  return html`<section class="panel filters" aria-labelledby="filters-heading">
<h2 id="filters-heading">Choose what to see</h2>
${
  problems.length > 0
    ? html`<div class="problems" role="alert"><h3>Some of what you chose couldn't be used</h3><ul>${problems.map((problem) => html`<li><a href="#${problem.filter}">${problem.text}</a></li>`)}</ul></div>`
    : ""
}
<form method="get" action="${dashboardPath}">
<input type="hidden" name="expires" value="${signed.expires}">
<input type="hidden" name="signature" value="${signed.signature}">
<div class="field">
<label for="period">Period</label>
<p class="hint" id="period-hint">For example this quarter, last month, since 01/09/2026, or 01/09/2026 to 30/11/2026.</p>
${periodProblem ? html`<p class="error" id="period-error">${periodProblem.text}</p>` : ""}
<input type="text" id="period" name="period" list="period-words" autocomplete="off" value="${filters.period ?? "this quarter"}" aria-describedby="period-hint${periodProblem ? " period-error" : ""}"${periodProblem ? trusted(' aria-invalid="true"') : ""}>
<datalist id="period-words">${periodWords.map((words) => html`<option value="${words}"></option>`)}</datalist>
</div>
${select("organisation", "Organisation", "All organisations", choices.organisations.map((choice) => ({ value: choice.id, label: choice.name })))}
${select("sector", "Sector", "All sectors", choices.sectors)}
${select("locality", "Locality", "All localities", choices.localities.map((locality) => ({ value: locality, label: locality })))}
${select("principle", "Principle", "All principles", choices.principles.map((choice) => ({ value: choice.id, label: choice.name })))}
<div class="actions"><button type="submit">Show the figures</button><a href="${clearHref}">Show the whole network for this period</a></div>
</form>
<ul class="asides">
<li>Organisation, sector and locality narrow membership, the work, organisations, events and training to those organisations and their members. Learning needs follow organisation and sector only where enough people in them answered.</li>
<li>Principle narrows the work to updates tagged with it.</li>
<li>Pulses and check-ins always cover the whole network: their results show only for groups big enough to keep answers anonymous, so they aren't split up.</li>
</ul>
</section>`;
}
