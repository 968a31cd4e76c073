import { command, type Requester } from "./context.js";
import { message, type Message } from "./view.js";

/**
 * Who may use a verb, a button or a form. Every one declares it beside its handler, and the core
 * checks it once, at the moment of use, before the handler runs: a form opened by a coordinator who
 * has since become a member is refused when it comes back.
 */
export type Who = "anyone" | "coordinators";

/** What the person was doing, for the refusal: a verb they typed or pressed, or a form they sent. */
export type Attempt = { verb: string } | { form: string };

/**
 * Undefined when the requester may go ahead; otherwise the kind refusal to show instead, and nothing
 * else happens.
 *
 * @example
 * refusal(requester, "coordinators", { verb: "broadcast" })
 * // a member: "Only the network's coordinators can use /ti broadcast. If you think you should be one, ask a coordinator."
 */
export function refusal(requester: Requester, who: Who, attempt: Attempt): Message | undefined {
  if (who === "anyone" || requester.isCoordinator) return undefined;
  const what = "verb" in attempt ? `can use ${command(requester.address.platform, attempt.verb)}.` : "can send that form, so nothing was saved or sent.";
  return message(`Only the network's coordinators ${what} If you think you should be one, ask a coordinator.`);
}
