import type { Feature } from "../kernel/feature.js";
import { boardPackFile, exportInsights, workbookFile } from "./export-insights.js";
import { figuresCsv, organisationsCsv, trainingCsv } from "./dashboard-downloads.js";
import { chartImage } from "./figures.js";
import { showInsights } from "./show-insights.js";
import { insightVerbs } from "./verbs.js";

/** The network's figures for coordinators: membership, the work by principle, organisations, events, pulses and training, with charts. */
export const insights: Feature = {
  name: "insights",
  verbs: insightVerbs,
  commands: { insights: showInsights, "insights export": exportInsights },
  forms: {},
  memberData: [],
  synonyms: { insight: "insights", figures: "insights", dashboard: "insights", stats: "insights" },
  downloads: [chartImage, boardPackFile, workbookFile, figuresCsv, organisationsCsv, trainingCsv],
};
