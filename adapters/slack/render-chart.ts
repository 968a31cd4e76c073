import type { types as slack } from "@slack/bolt";
import type { Block } from "../../src/core/kernel/view.js";
import { chunk, mrkdwn, plain, slackLimits } from "./block-kit.js";
import { cut, splitMrkdwn } from "./mrkdwn.js";

type ChartBlock = Extract<Block, { type: "chart" }>;

/**
 * A chart as an `image` block that Slack fetches from `imageUrl`. Slack has no chart element, and
 * with no URL it can reach (no public address, or a URL over Slack's 3,000) the chart is its title and
 * its description in words, so nothing is lost.
 *
 * @example
 * renderChart({ type: "chart", chart, alt: "Updates per month: Oct 12, Nov 9", imageUrl: "https://ti.example.org/downloads/…" })
 * // [{ type: "image", image_url: "https://ti.example.org/downloads/…", alt_text: "Updates per month: Oct 12, Nov 9",
 * //    title: { type: "plain_text", text: "Updates per month", emoji: true } }]
 */
export function renderChart(block: ChartBlock): slack.KnownBlock[] {
  const title = block.chart.title.trim();
  const alt = block.alt.trim();
  if (block.imageUrl && block.imageUrl.length <= slackLimits.imageUrl) {
    return [
      {
        type: "image",
        image_url: block.imageUrl,
        // Slack refuses an image block whose alt text is empty.
        alt_text: cut(alt || title || "Chart", slackLimits.imageAltText),
        ...(title ? { title: plain(cut(title, slackLimits.imageTitle)) } : {}),
      },
    ];
  }
  const heading = splitMrkdwn(title).map((piece): slack.KnownBlock => ({ type: "section", text: mrkdwn(piece) }));
  const described = chunk(splitMrkdwn(alt).map(mrkdwn), slackLimits.contextElements).map((elements): slack.KnownBlock => ({ type: "context", elements }));
  return [...heading, ...described];
}
