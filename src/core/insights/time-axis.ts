import { DateTime } from "luxon";
import type { Period } from "../kernel/period.js";

/** One step along a chart's time axis: its label and the months (`2026-10`) it sums. */
export interface TimeStep {
  label: string;
  months: string[];
}

/** How a period's time axis steps, and its steps in order. */
export interface TimeAxis {
  unit: "month" | "quarter" | "year";
  steps: TimeStep[];
}

/** The longest period drawn month by month, and quarter by quarter; longer ones go year by year. */
const monthlyUpTo = 24;
const quarterlyUpTo = 96;

/**
 * The steps of a chart over a period: months up to two years, then calendar quarters (named by their
 * months, since many organisations' "Q1" starts in April) up to eight years, then years; so a chart
 * keeps at most about 32 bars and stays readable at chat size. A step the period only partly covers
 * counts only the part inside it.
 *
 * @example
 * timeAxis(fiveYears, "Europe/London") // { unit: "quarter", steps: [{ label: "Jan–Mar 2022", months: ["2022-01", "2022-02", "2022-03"] }, …] }
 */
export function timeAxis(period: Period, timeZone: string): TimeAxis {
  const months: DateTime[] = [];
  const end = DateTime.fromJSDate(period.to, { zone: timeZone });
  for (let month = DateTime.fromJSDate(period.from, { zone: timeZone }).startOf("month"); month < end && months.length < 1_200; month = month.plus({ months: 1 })) months.push(month);
  const unit = months.length <= monthlyUpTo ? "month" : months.length <= quarterlyUpTo ? "quarter" : "year";
  const steps: TimeStep[] = [];
  for (const month of months) {
    const label = labelOf(month, unit);
    const key = month.toFormat("yyyy-MM");
    if (steps.at(-1)?.label === label) steps.at(-1)!.months.push(key);
    else steps.push({ label, months: [key] });
  }
  return { unit, steps };
}

function labelOf(month: DateTime, unit: TimeAxis["unit"]): string {
  if (unit === "month") return month.toFormat("LLL yyyy");
  if (unit === "year") return month.toFormat("yyyy");
  const first = month.startOf("quarter");
  return `${first.toFormat("LLL")}–${first.plus({ months: 2 }).toFormat("LLL yyyy")}`;
}

/** `Month`, `Quarter`, `Year`: the axis title. */
export const axisTitle = (axis: TimeAxis) => `${axis.unit[0]!.toUpperCase()}${axis.unit.slice(1)}`;
