import { command, type Request } from "./context.js";
import { verbCatalogue } from "./verbs.js";
import { heading, message, note, text, type Message } from "./view.js";

/** What the bot does and its verbs, one line each; coordinator verbs only for coordinators. */
export function showHelp({ ctx, requester }: Pick<Request, "ctx" | "requester">, opening?: string): Message {
  const platform = requester.address.platform;
  const verbs = verbCatalogue.filter((entry) => !entry.hidden && (!entry.coordinatorOnly || requester.isCoordinator));
  return message(
    opening ?? `Here's what I can do in ${ctx.networkName}.`,
    ...(opening ? [text(opening)] : []),
    heading(`${ctx.networkName}: what I can do`),
    text("I help champions share trauma-informed work, and help the network see it."),
    { type: "list", items: verbs.map((entry) => `${command(platform, entry.usage)}: ${entry.summary}`) },
    note(requester.member ? "Everything you share is seen by the network's coordinators." : `New here? Start with ${command(platform, "join")}.`),
  );
}
