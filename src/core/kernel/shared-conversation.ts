import { command, type Request } from "./context.js";
import type { VerbArea } from "./verbs.js";
import { message, note, text, type Message } from "./view.js";

/**
 * The answer in a channel or group chat, where everyone there would see it: what can be done here,
 * and, for anything personal (joining, updates, check-ins, a coordinator's figures), an invitation to
 * the one-to-one chat, where the same words work.
 */
export function answerInShared(verbAreas: readonly VerbArea[], { ctx, requester }: Pick<Request, "ctx" | "requester">, asked: string): Message {
  const platform = requester.address.platform;
  const here = verbAreas
    .flatMap((area) => area.verbs)
    .filter((entry) => entry.inShared && !entry.hidden && (entry.who === "anyone" || requester.isCoordinator));
  const personal = asked && asked !== "help" ? `"${asked.slice(0, 40)}"` : "most things";
  return message(
    `I answer ${personal} in a one-to-one chat`,
    text(
      `Hello! I'm the ${ctx.networkName} bot. Everyone here would see my answer, so I answer ${personal} in our one-to-one chat instead: ` +
        `select my name, choose Chat, and type ${command(platform, asked && asked !== "help" ? asked : "help")} there.`,
    ),
    ...(here.length > 0 ? [text(`Here in the channel: ${here.map((entry) => `${command(platform, entry.usage)} (${entry.summary})`).join("; ")}`)] : []),
    note("Joining, sharing updates, check-ins and pulse answers stay between you and the network, never in a channel."),
  );
}
