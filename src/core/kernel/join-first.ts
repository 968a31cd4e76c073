import { command, type Request } from "./context.js";
import { buttons, message, note, text, type Message } from "./view.js";

/**
 * The kind answer to someone who hasn't joined asking for something that is for members: what it is,
 * and the way in, as a button and as the command to type.
 *
 * @example
 * if (!request.requester.member) return joinFirst(request, "Check-ins");
 * // "Check-ins are for members of the network. If you'd like to join, it takes a minute." [Join the network]
 */
export function joinFirst({ requester }: Pick<Request, "requester">, what: string): Message {
  const reply = `${what} are for members of the network. If you'd like to join, it takes a minute.`;
  return message(reply, text(reply), buttons({ label: "Join the network", verb: "join", style: "primary" }), note(`Or type ${command(requester.address.platform, "join")}.`));
}
