/**
 * Makes text show literally in a TextBlock, which renders a markdown subset (emphasis, links, lists).
 * Line-start markers (`# `, `- `, `1. `, `> `) are escaped only where markdown would act on them, so
 * hashtags such as `#safety` read as typed; `&` only before what looks like an HTML entity. A single newline becomes a paragraph break, since markdown
 * would otherwise join the lines.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n?/g, "\n").split(/\n+/).map(escapeLine).join("\n\n");
}

export function escapeLine(line: string): string {
  return escapeInline(line)
    .replace(/^(\s*)([#>+-])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2");
}

export function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]~]/g, "\\$&").replace(/&(?=#?\w+;)/g, "\\&");
}
