// The report form and the nudge against the platforms' limits, and the milestone lines' grammar: pure,
// no database.
import { describe, expect, it } from "vitest";
import { slackLimits } from "../adapters/slack/block-kit.js";
import { renderMessage, renderModal } from "../adapters/slack/render.js";
import { renderCard } from "../adapters/teams/render.js";
import type { OpenRequest } from "../src/core/reports/find-request.js";
import { reportForm, readMilestones } from "../src/core/reports/report-form.js";
import { nudgeMessage } from "../src/core/reports/report-nudges.js";
import { weeklySlot } from "../src/core/kernel/job.js";

const longest = "A key action with a very long description ".repeat(20);
const request = {
  id: "7d1c3a52-3a8f-4d8a-9a57-0d5cf3a8c001",
  cycle: { id: "c", number: 3, label: "January to March 2027", dueOn: new Date("2027-03-31T00:00:00Z") },
  organisation: {
    id: "o",
    name: "Calderdale and Huddersfield NHS Foundation Trust",
    keyActions: [1, 2].map((position) => ({ id: `k${position}`, text: longest, targetDate: new Date("2027-06-30T00:00:00Z"), status: "in_progress", position, organisationId: "o", createdAt: new Date(), updatedAt: new Date() })),
  },
  report: null,
} as unknown as OpenRequest;

describe("the report form and nudge on the platforms", () => {
  it("fits a Slack modal: blocks, title, button, labels and option texts", () => {
    const modal = renderModal(reportForm(request, { rag: "amber", cycleLabel: "October to December 2026" }), "{}");
    expect(modal.blocks.length).toBeLessThanOrEqual(slackLimits.modalBlocks);
    expect(modal.title.text.length).toBeLessThanOrEqual(slackLimits.modalTitle);
    const inputs = modal.blocks.filter((block) => block.type === "input") as { label: { text: string }; element: { options?: { text: { text: string } }[] } }[];
    expect(inputs.length).toBe(16);
    for (const input of inputs) {
      expect(input.label.text.length).toBeLessThanOrEqual(slackLimits.labelText);
      for (const option of input.element.options ?? []) expect(option.text.text.length).toBeLessThanOrEqual(slackLimits.optionText);
    }
  });

  it("renders the nudge with its four buttons on both platforms", () => {
    const nudge = nudgeMessage({ id: request.id, organisationName: "Calder NHS Trust", cycleLabel: "January to March 2027", dueOn: request.cycle.dueOn }, "before");
    const slack = renderMessage(nudge);
    const actions = slack.blocks.filter((block) => block.type === "actions") as { elements: { text: { text: string } }[] }[];
    expect(actions.flatMap((block) => block.elements.map((element) => element.text.text))).toEqual(["Fill in now", "Not now", "Someone else is doing this", "Stop these"]);
    expect(JSON.stringify(renderCard(nudge))).toContain("is due on 31 Mar 2027, a week from now");
  });
});

describe("upcoming milestones, one a line", () => {
  it("reads dates as people write them", () => {
    expect(readMilestones("30/06/2027 - Launch the training\n\n  2027-09-01 – Evaluate  \n1 October 2027: Board paper", "2026-11-23")).toEqual({
      list: [
        { dueOn: "2027-06-30", text: "Launch the training" },
        { dueOn: "2027-09-01", text: "Evaluate" },
        { dueOn: "2027-10-01", text: "Board paper" },
      ],
    });
  });

  it("names every line with a problem at once", () => {
    expect(readMilestones("Launch the training\n31/02/2027 - Not a day\n22/11/2026 - Yesterday", "2026-11-23").error).toBe(
      'Line 1 needs a date first, like "30/06/2027 - Launch the training"; line 2 needs a date first, like "30/06/2027 - Launch the training"; line 3: 22 Nov 2026 has passed, and milestones here are still to come.',
    );
    expect(readMilestones(Array.from({ length: 11 }, () => "30/06/2027 - x").join("\n"), "2026-11-23").error).toMatch(/up to 10/);
  });
});

describe("the weekly digest's slot", () => {
  it("is the ISO week in the network's time zone, so each week's digest goes once", () => {
    expect(weeklySlot(new Date("2026-12-28T09:30:00Z"), "Europe/London")).toBe("2026-W53");
    expect(weeklySlot(new Date("2027-01-04T09:30:00Z"), "Europe/London")).toBe("2027-W01");
    // Sunday 23:30 in New York is already Monday in London: the zone decides the week.
    expect(weeklySlot(new Date("2027-01-11T04:30:00Z"), "America/New_York")).toBe("2027-W01");
    expect(weeklySlot(new Date("2027-01-11T04:30:00Z"), "Europe/London")).toBe("2027-W02");
  });
});
