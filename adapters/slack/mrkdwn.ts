import { slackLimits } from "./block-kit.js";

/** Escapes the three characters Slack's mrkdwn treats as markup, so `<!channel>` stays text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Shortens plain text to `max` characters, ending with an ellipsis when anything was removed. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeSlice(text, max - 1).trimEnd()}…`;
}

/**
 * Splits plain text into escaped mrkdwn pieces of at most `max` characters each, breaking at a line or
 * a space where it can and never inside an entity or a surrogate pair. Joined, the pieces are exactly
 * `escapeMrkdwn(text)`.
 */
export function splitMrkdwn(text: string, max: number = slackLimits.sectionText): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (escapeMrkdwn(rest).length > max) {
    const hard = fittingLength(rest, max);
    const window = rest.slice(0, hard);
    const newline = window.lastIndexOf("\n");
    const space = window.lastIndexOf(" ");
    const breakAt = newline > hard / 2 ? newline + 1 : space > hard / 2 ? space + 1 : hard;
    pieces.push(escapeMrkdwn(rest.slice(0, breakAt)));
    rest = rest.slice(breakAt);
  }
  if (rest.length > 0) pieces.push(escapeMrkdwn(rest));
  return pieces;
}

/**
 * Renders a `formatted` block's light markup as mrkdwn pieces of at most `max` characters, split at
 * paragraphs, then lines, then words. Only the documented subset is translated; everything else is
 * escaped, so `<@U123>` typed by someone cannot ping and a `javascript:` link stays text.
 *
 * @example
 * formattedMrkdwn("**Hi** & see [the guide](https://example.org)\n- one")
 * // ["*Hi* &amp; see <https://example.org|the guide>\n• one"]
 */
export function formattedMrkdwn(text: string, max: number = slackLimits.sectionText): string[] {
  const paragraphs = text.split("\n\n").map((paragraph) => joinedRun(paragraph.split("\n").map(lineRun), "\n"));
  return packRuns(paragraphs, "\n\n", max).filter((piece) => piece.trim());
}

/** Rendered mrkdwn that cannot be cut just anywhere, and how to cut it when it alone is over `max`. */
interface Run {
  mrkdwn: string;
  split(max: number): string[];
}

const inlineMarkup = /\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*(?=\S)(.+?)(?<=\S)\*\*/g;

function lineRun(line: string): Run {
  const bullet = line.startsWith("- ");
  const runs = bullet ? [{ mrkdwn: "• ", split: () => ["• "] }, ...inlineRuns(line.slice(2))] : inlineRuns(line);
  return joinedRun(runs, "");
}

function inlineRuns(text: string): Run[] {
  const runs: Run[] = [];
  let done = 0;
  for (const match of text.matchAll(inlineMarkup)) {
    const [typed, label, target, bold] = match;
    runs.push(...wordRuns(text.slice(done, match.index)));
    runs.push(bold !== undefined ? boldRun(bold) : linkRun(label!, target!, typed));
    done = match.index + typed.length;
  }
  runs.push(...wordRuns(text.slice(done)));
  return runs;
}

function wordRuns(text: string): Run[] {
  return (text.match(/\S+\s*|\s+/g) ?? []).map((word) => ({ mrkdwn: escapeMrkdwn(word), split: (max) => splitMrkdwn(word, max) }));
}

// Slack only bolds when `*` hugs the text, so each piece of a split bold span is trimmed.
function boldRun(inner: string): Run {
  const runs = inlineRuns(inner);
  return {
    mrkdwn: `*${joinedRun(runs, "").mrkdwn}*`,
    split: (max) =>
      packRuns(runs, "", max - 2)
        .map((piece) => piece.trim())
        .filter(Boolean)
        .map((piece) => `*${piece}*`),
  };
}

function linkRun(label: string, target: string, typed: string): Run {
  if (!isWebLink(target)) return joinedRun(wordRuns(typed), "");
  return { mrkdwn: `<${escapeMrkdwn(target)}|${escapeMrkdwn(label)}>`, split: (max) => splitMrkdwn(typed, max) };
}

// `|` and `>` would end Slack's `<url|label>` early.
function isWebLink(target: string): boolean {
  return /^https?:\/\/[^\s<>|]+$/i.test(target) && URL.canParse(target);
}

function joinedRun(runs: Run[], separator: string): Run {
  return { mrkdwn: runs.map((run) => run.mrkdwn).join(separator), split: (max) => packRuns(runs, separator, max) };
}

// Greedy: as many whole runs in a piece as fit; a run over `max` on its own is split by its own rule.
function packRuns(runs: Run[], separator: string, max: number): string[] {
  const pieces: string[] = [];
  let current: string | undefined;
  for (const run of runs) {
    if (current !== undefined && current.length + separator.length + run.mrkdwn.length <= max) {
      current += separator + run.mrkdwn;
      continue;
    }
    if (current !== undefined) pieces.push(current);
    const parts = run.mrkdwn.length <= max ? [run.mrkdwn] : run.split(max);
    pieces.push(...parts.slice(0, -1));
    current = parts.at(-1);
  }
  if (current !== undefined) pieces.push(current);
  return pieces;
}

// The longest prefix of `text` whose escaped form fits in `max`, not ending inside a surrogate pair.
function fittingLength(text: string, max: number): number {
  let escaped = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    const width = char === "&" ? 5 : char === "<" || char === ">" ? 4 : 1;
    if (escaped + width > max) break;
    escaped += width;
    index++;
  }
  return safeLength(text, Math.max(1, index));
}

export function safeSlice(text: string, length: number): string {
  return text.slice(0, safeLength(text, length));
}

function safeLength(text: string, length: number): number {
  const code = text.charCodeAt(length - 1);
  return length > 1 && length < text.length && code >= 0xd800 && code <= 0xdbff ? length - 1 : length;
}
