import type { ParsedCommand } from "./interaction.js";
import { verbCatalogue } from "./verbs.js";

/** Verbs written as two words, so `broadcast status` is one verb and not `broadcast` + "status". */
const twoWordVerbs = new Set<string>(verbCatalogue.filter((entry) => entry.verb.includes(" ")).map((entry) => entry.verb));

/**
 * The one command grammar for both platforms. Accepts `update text`, `ti update text` and
 * `/ti update text`; a leading bot mention must already be stripped by the adapter.
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
  const first = match[1]!.toLowerCase();
  const rest = match[2] ?? "";
  const second = /^(\S+)(?:\s+([\s\S]*))?$/.exec(rest);
  if (second && twoWordVerbs.has(`${first} ${second[1]!.toLowerCase()}`)) {
    return { verb: `${first} ${second[1]!.toLowerCase()}`, text: (second[2] ?? "").trim() };
  }
  return { verb: first, text: rest.trim() };
}
