import type { types as slack, webApi } from "@slack/bolt";
import type { Address } from "../../src/core/kernel/interaction.js";
import type { Form, Message } from "../../src/core/kernel/view.js";
import { formOffer } from "../../src/core/kernel/apology.js";
import type { Logger } from "../../src/log.js";
import { encodeFormMetadata } from "./parse.js";
import type { SlackMessage } from "./block-kit.js";
import { renderMessage, renderModal } from "./render.js";

/**
 * Where an answer goes when it cannot ride on the ack: the response_url if there is one, else a DM, and
 * if Slack takes neither, the delivery engine (`later`), which keeps trying.
 */
export interface Recipient {
  address: Address;
  responseUrl?: string;
  /** The request answered, so an answer handed to the delivery engine is queued once. */
  requestId?: string;
}

/** Hands an answer Slack would not take to the delivery engine (`Bot.answerLater`). */
export type AnswerLater = (to: Address, view: Message, requestId?: string) => Promise<void>;

/** How a form is opened, and what to offer instead if Slack will not open it any more. */
export interface FormOpening extends Recipient {
  triggerId: string;
  /** Push onto the modal the button was pressed in, rather than open a new one. */
  inModal?: boolean;
  /** The command to run again from a button if the trigger has expired. */
  retry: { verb: string; text: string };
}

/** Sends what the core answered, after the ack, through Slack's Web API or a response_url. */
export interface Replies {
  deliver(view: Message, to: Recipient): Promise<void>;
  /** Shows the answer in place of the message a button was on, or as a new message if Slack won't. */
  replace(view: Message, to: Recipient): Promise<void>;
  openForm(form: Form, opening: FormOpening): Promise<void>;
  /** Replaces an open modal (the answer to a submission that took a while). */
  updateModal(viewId: string, modal: slack.ModalView): Promise<void>;
}

const responseUrlTimeoutMs = 10_000;

export function createReplies(api: webApi.WebClient, log: Logger, later: AnswerLater): Replies {
  async function deliver(view: Message, to: Recipient): Promise<void> {
    const rendered = renderMessage(view);
    if (to.responseUrl && (await postToResponseUrl(to.responseUrl, rendered))) return;
    try {
      await api.chat.postMessage({ channel: to.address.userId, ...rendered });
    } catch (error) {
      log.warn({ err: error }, "slack would not take the answer as a DM either; the delivery engine will send it");
      await later(to.address, view, to.requestId);
    }
  }

  async function replace(view: Message, to: Recipient): Promise<void> {
    if (to.responseUrl && (await postToResponseUrl(to.responseUrl, renderMessage(view), true))) return;
    await deliver(view, { ...to, responseUrl: undefined });
  }

  async function postToResponseUrl(responseUrl: string, rendered: SlackMessage, replaceOriginal = false): Promise<boolean> {
    // Replacing keeps the original's visibility (a DM stays a DM); a new answer is seen only by the presser.
    const placement = replaceOriginal ? { replace_original: true } : { response_type: "ephemeral", replace_original: false };
    try {
      const response = await fetch(responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...placement, ...rendered }),
        signal: AbortSignal.timeout(responseUrlTimeoutMs),
      });
      if (response.ok) return true;
      log.warn({ status: response.status }, "slack response_url refused the answer; sending it as a DM");
    } catch (error) {
      log.warn({ err: error }, "slack response_url unreachable; sending the answer as a DM");
    }
    return false;
  }

  async function openForm(form: Form, opening: FormOpening): Promise<void> {
    try {
      const view = renderModal(form, encodeFormMetadata({ context: form.context, responseUrl: opening.responseUrl }));
      if (opening.inModal) await api.views.push({ trigger_id: opening.triggerId, view });
      else await api.views.open({ trigger_id: opening.triggerId, view });
    } catch (error) {
      // A trigger_id lives three seconds; past that, a button gets a fresh one.
      log.warn({ err: error, verb: form.verb }, "slack would not open the form; offering a button instead");
      await deliver(formOffer(opening.retry), opening);
    }
  }

  async function updateModal(viewId: string, modal: slack.ModalView): Promise<void> {
    await api.views.update({ view_id: viewId, view: modal });
  }

  return { deliver, replace, openForm, updateModal };
}
