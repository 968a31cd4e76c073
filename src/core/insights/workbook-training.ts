import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import type { Sheet, SheetCell } from "../kernel/feature.js";
import type { Period } from "../kernel/period.js";
import { completedLevelName, completedLevelNames, formatName, formatNames, trainingCounts } from "./training-counts.js";
import { minimumGroup } from "../training/needs-survey.js";
import { surveysWithGroups } from "./training-needs.js";
import { trainingColumns, trainingNumberColumns, trainingTableRows } from "./training-table.js";
import { later } from "./sheet-rows.js";

/** Each organisation's members at each level, its target and where it stands, and training completed in the period. */
export function trainingSheet(ctx: CoreContext, period: Period): Sheet {
  return {
    name: "Training by organisation",
    columns: trainingColumns.map((header, index) =>
      trainingNumberColumns.has(index) ? { header, type: "number" as const, width: Math.max(10, header.length + 2) } : { header, width: header === "Target" ? 44 : header === "Organisation" ? 36 : 22 },
    ),
    rows: later(async () => trainingTableRows(await trainingCounts(ctx, period))),
  };
}

/** Training completed in the period by the course's level and format; training outside the offer on a row of its own. */
export function trainingCompletedSheet(ctx: CoreContext, period: Period): Sheet {
  return {
    name: "Training completed",
    columns: [
      { header: "Level", width: 20 },
      { header: "Format", width: 20 },
      { header: "Completed", type: "number", width: 12 },
    ],
    rows: later(async () => {
      const { completed } = await trainingCounts(ctx, period);
      const rows: SheetCell[][] = [];
      for (const level of completedLevelNames)
        for (const format of formatNames) {
          const done = completed.filter((tally) => completedLevelName(tally.level) === level && formatName(tally.format) === format).reduce((sum, tally) => sum + tally.completed, 0);
          if (done > 0) rows.push([level, format, done]);
        }
      return rows;
    }),
  };
}

/**
 * The learning needs of the surveys open during the period: how many chose each answer, for each group
 * `needs results` would show (everyone, sectors, organisations). A survey with too few answers has one
 * row saying so, and no figure.
 */
export function learningNeedsSheet(ctx: CoreContext, period: Period): Sheet {
  const minimum = minimumGroup(ctx);
  return {
    name: "Learning needs",
    columns: [
      { header: "Survey", type: "number", width: 8 },
      { header: "Sent", type: "day", width: 12 },
      { header: "Group", width: 32 },
      { header: "Answers", type: "number", width: 10 },
      { header: "Question", width: 16 },
      { header: "Answer", width: 40 },
      { header: "Chose it", type: "number", width: 10 },
    ],
    rows: later(async () => {
      const rows: SheetCell[][] = [];
      for (const { survey, groups } of await surveysWithGroups(ctx, period)) {
        const sent = new Date(`${DateTime.fromJSDate(survey.sentAt, { zone: ctx.timeZone }).toISODate()}T00:00:00Z`);
        if (groups.length === 0) rows.push([survey.number, sent, `Not shown: fewer than ${minimum} answers`, null, null, null, null]);
        for (const group of groups) for (const option of group.options) rows.push([survey.number, sent, group.name, group.answers, option.question, option.answer, option.count]);
      }
      return rows;
    }),
  };
}
