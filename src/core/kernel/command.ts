import type { ParsedCommand } from "./interaction.js";

/**
 * The one command grammar for both platforms. Accepts `update text`, `ti update text` and
 * `/ti update text`; a leading bot mention must already be stripped by the adapter. The bot reads a
 * two-word verb (`broadcast status 12`) from the first word and the text, knowing every feature's verbs.
 *
 * @example
 * parseCommand("/ti update Ran a workshop") // { verb: "update", text: "Ran a workshop" }
 * parseCommand("  HELP ")                   // { verb: "help", text: "" }
 */
export function parseCommand(typed: string): ParsedCommand {
  const trimmed = typed.replace(/\u00a0/g, " ").trim();
  const withoutPrefix = trimmed.replace(/^\/?ti(?=\s|$)/i, "").trimStart();
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(withoutPrefix);
  if (!match) return { verb: "", text: "" };
  return { verb: match[1]!.toLowerCase(), text: (match[2] ?? "").trim() };
}
