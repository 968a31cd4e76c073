import { command, type Request } from "../kernel/context.js";
import { buttons, message, note, text, type Message } from "../kernel/view.js";

export function joinFirst({ requester }: Request): Message {
  const reply = "Training records are for members of the network. If you'd like to join, it takes a minute.";
  return message(reply, text(reply), buttons({ label: "Join the network", verb: "join", style: "primary" }), note(`Or type ${command(requester.address.platform, "join")}.`));
}
