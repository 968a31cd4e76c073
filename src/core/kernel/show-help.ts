import { command, type Request } from "./context.js";
import type { VerbArea } from "./verbs.js";
import { heading, message, note, text, type Block, type Message } from "./view.js";

/**
 * What the bot does and its verbs, one line each, grouped by area; coordinator verbs only for
 * coordinators. `help events` (or any area's name) shows that area alone.
 */
export function showHelp(
  verbAreas: readonly VerbArea[],
  { ctx, requester, interaction }: Pick<Request, "ctx" | "requester"> & { interaction?: { text: string } },
  opening?: string,
): Message {
  const platform = requester.address.platform;
  const asked = opening ? "" : (interaction?.text ?? "").trim().toLowerCase().replace(/[^a-z]/g, "");
  const chosen = verbAreas.filter((area) => !asked || area.area === asked || area.area === `${asked}s`);
  const areas = (chosen.length > 0 ? chosen : verbAreas)
    .map((area) => ({ ...area, verbs: area.verbs.filter((entry) => !entry.hidden && (entry.who === "anyone" || requester.isCoordinator)) }))
    .filter((area) => area.verbs.length > 0);
  const sections: Block[] = areas.flatMap((area) => [
    heading(area.title),
    { type: "list", items: area.verbs.map((entry) => `${command(platform, entry.usage)}: ${entry.summary}`) } satisfies Block,
  ]);
  const unknownArea = asked && chosen.length === 0 ? [text(`I don't have a help section called "${asked.slice(0, 20)}", so here is all of it.`)] : [];
  return message(
    opening ?? `Here's what I can do in ${ctx.networkName}.`,
    ...(opening ? [text(opening)] : []),
    ...unknownArea,
    text(`I help champions share trauma-informed work, and help ${ctx.networkName} see it.`),
    ...sections,
    note(
      [
        requester.member ? "What you share with the network is seen by its members and coordinators; check-ins are seen by you alone." : `New here? Start with ${command(platform, "join")}.`,
        areas.length > 1 ? `For one part only, try ${command(platform, "help events")}.` : "",
      ]
        .filter(Boolean)
        .join(" "),
    ),
  );
}
