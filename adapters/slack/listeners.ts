import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewResponseAction,
  webApi,
} from "@slack/bolt";
import { somethingWentWrong } from "../../src/core/kernel/apology.js";
import type { Bot } from "../../src/core/kernel/bot.js";
import type { Interaction } from "../../src/core/kernel/interaction.js";
import { message, type Form, type Message, type View } from "../../src/core/kernel/view.js";
import type { Logger } from "../../src/log.js";
import {
  lostInstallKey,
  accessLostSchema,
  blockActionsSchema,
  buttonInteraction,
  commandInteraction,
  encodeFormMetadata,
  removalOf,
  senderOf,
  slashCommandSchema,
  submissionInteraction,
  typedCommand,
  viewSubmissionSchema,
} from "./parse.js";
import { publishHome } from "./home.js";
import type { Replies } from "./replies.js";
import { slackLimits } from "./block-kit.js";
import { buttonActionPrefix, formCallbackPrefix, renderMessage, renderMessageModal, renderModal } from "./render.js";

export interface ListenerDeps {
  bot: Bot;
  /** Answers through the request's own client, which carries its workspace's token. */
  replies: (client: webApi.WebClient) => Replies;
  /** The app was removed from a workspace (or its bot token revoked): forget its installation. Installed in many workspaces only. */
  installLost?: (installKey: string) => Promise<void>;
  log: Logger;
  /** Keeps work that outlives the ack in view, so stopping can wait for it. */
  track<T>(work: Promise<T>): Promise<T>;
}

/** Slack wants the ack within 3 s; past this, ack first and answer afterwards. */
export const ackDeadlineMs = 2500;

type Early = { settled: true; view: View } | { settled: false };

async function within(answer: Promise<View>, ms: number): Promise<Early> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Early>((resolve) => (timer = setTimeout(() => resolve({ settled: false }), ms)));
  try {
    return await Promise.race([answer.then((view): Early => ({ settled: true, view })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The slash command, a modal submitted, a `ti:` button pressed: parse, ask the core, render, reply.
 * The app removed or its tokens revoked: tell the core who is gone.
 */
export function registerListeners(app: App, { bot, replies: repliesWith, installLost, log, track }: ListenerDeps): void {
  const tracked =
    <Args>(listener: (args: Args) => Promise<void>) =>
    (args: Args) =>
      track(listener(args));

  app.command(
    "/ti",
    tracked<SlackCommandMiddlewareArgs & AllMiddlewareArgs>(async ({ body, ack, client }) => {
      const replies = repliesWith(client);
      const parsed = slashCommandSchema.safeParse(body);
      if (!parsed.success) {
        log.warn({ issues: parsed.error.issues }, "slack slash command unreadable");
        return ack(ephemeral(message("Sorry, I couldn't read that command. Please try again.")));
      }
      const command = parsed.data;
      const typed = typedCommand(command);
      const interaction = commandInteraction(command);
      const answer = bot.handle(interaction);
      let early: Early;
      try {
        early = await within(answer, ackDeadlineMs);
      } catch (error) {
        log.error({ err: error, verb: interaction.verb }, "slack command failed");
        return ack(ephemeral(somethingWentWrong(interaction, { typed })));
      }
      if (early.settled && early.view.type === "message") return ack(ephemeral(early.view));
      await ack(early.settled ? undefined : ephemeral(message("Working on it…")));

      const recipient = { address: interaction.from, responseUrl: command.response_url, requestId: interaction.requestId };
      let view: View;
      try {
        view = early.settled ? early.view : await answer;
      } catch (error) {
        log.error({ err: error, verb: interaction.verb }, "slack command failed after the ack");
        return replies.deliver(somethingWentWrong(interaction, { typed }), recipient);
      }
      if (view.type === "message") return replies.deliver(view, recipient);
      return replies.openForm(view, { ...recipient, triggerId: command.trigger_id, retry: interaction });
    }),
  );

  app.view(
    { type: "view_submission", callback_id: new RegExp(`^${formCallbackPrefix}`) },
    tracked<SlackViewMiddlewareArgs & AllMiddlewareArgs>(async ({ body, ack, client }) => {
      const replies = repliesWith(client);
      const parsed = viewSubmissionSchema.safeParse(body);
      if (!parsed.success) {
        log.warn({ issues: parsed.error.issues }, "slack view_submission unreadable");
        return ack();
      }
      const submission = parsed.data;
      const { interaction, metadata } = submissionInteraction(submission);
      const submittedIds = Object.keys(submission.view.state.values);
      const title = submission.view.title?.text ?? "Thank you";
      const answer = bot.handle(interaction);
      let early: Early;
      try {
        early = await within(answer, ackDeadlineMs);
      } catch (error) {
        log.error({ err: error, verb: interaction.verb }, "slack form submission failed");
        const first = submittedIds[0];
        const kindly = "Sorry, something went wrong on our side. Your answers are still here: please try again in a moment.";
        return ack(
          first
            ? { response_action: "errors", errors: { [first]: kindly } }
            : { response_action: "update", view: renderMessageModal(title, message(kindly)) },
        );
      }
      const recipient = { address: interaction.from, responseUrl: metadata.responseUrl, requestId: interaction.requestId };
      if (early.settled) {
        if (early.view.type === "message") {
          await ack();
          return replies.deliver(early.view, recipient);
        }
        return ack(formAnswer(early.view, interaction, submittedIds, metadata.responseUrl));
      }

      await ack({ response_action: "update", view: renderMessageModal(title, message("Working on it…")) });
      let view: View;
      try {
        view = await answer;
      } catch (error) {
        log.error({ err: error, verb: interaction.verb }, "slack form submission failed after the ack");
        view = somethingWentWrong(interaction);
      }
      const modal = view.type === "message" ? renderMessageModal(title, view) : modalFor(withErrorsAsProblem(view), metadata.responseUrl);
      try {
        await replies.updateModal(submission.view.id, modal);
      } catch (error) {
        // Most often the person closed the modal while waiting: a message still reaches them.
        log.warn({ err: error, verb: interaction.verb }, "slack could not update the modal");
        if (view.type === "message") await replies.deliver(view, recipient);
      }
    }),
  );

  // Bolt acknowledges events before listeners run (and skips authorize for these two: the token may be
  // gone already), so a failure here is only logged: the dispatcher still learns of the loss as "gone".
  const accessLost = tracked<SlackEventMiddlewareArgs & AllMiddlewareArgs>(async ({ body }) => {
    const parsed = accessLostSchema.safeParse(body);
    if (!parsed.success) return log.warn({ issues: parsed.error.issues }, "slack access-lost event unreadable");
    const removal = removalOf(parsed.data);
    if (!removal) return;
    const installKey = installLost ? lostInstallKey(parsed.data) : undefined;
    try {
      if (installKey) await installLost!(installKey);
      await bot.removed(removal);
      log.info({ event: parsed.data.event.type, workspaceId: removal.workspaceId, users: removal.userIds?.length ?? "all" }, "slack says the bot lost access");
    } catch (error) {
      log.error({ err: error, event: parsed.data.event.type, workspaceId: removal.workspaceId }, "could not record a slack removal");
    }
  });
  app.event("app_uninstalled", accessLost);
  app.event("tokens_revoked", accessLost);
  acknowledgeTheRest(app, log);

  app.action(
    new RegExp(`^${buttonActionPrefix}`),
    tracked<SlackActionMiddlewareArgs & AllMiddlewareArgs>(async ({ body, ack, client }) => {
      await ack();
      const replies = repliesWith(client);
      const parsed = blockActionsSchema.safeParse(body);
      const interaction = parsed.success ? buttonInteraction(parsed.data) : undefined;
      if (!parsed.success || !interaction) {
        log.warn({ issues: parsed.error?.issues }, "slack button unreadable");
        if (parsed.success) await replies.deliver(outOfDate, { address: senderOf(parsed.data), responseUrl: parsed.data.response_url, requestId: parsed.data.trigger_id });
        return;
      }
      const pressed = parsed.data;
      const recipient = { address: interaction.from, responseUrl: pressed.response_url, requestId: interaction.requestId };
      let view: View;
      try {
        view = await bot.handle(interaction);
      } catch (error) {
        log.error({ err: error, verb: interaction.verb }, "slack button failed");
        return replies.deliver(somethingWentWrong(interaction, { retry: true }), recipient);
      }
      if (pressed.view?.type === "home") {
        // The Home tab shows the change itself (an answer given, something done); anything else to say comes as a message.
        if (view.type === "message" && !view.replacesOriginal) await replies.deliver(view, recipient);
        if (view.type === "form") await replies.openForm(view, { ...recipient, triggerId: pressed.trigger_id, retry: interaction });
        return publishHome(bot, client, interaction.from, log);
      }
      if (view.type === "message" && view.replacesOriginal && !pressed.view) return replies.replace(view, recipient);
      if (view.type === "message") return replies.deliver(view, recipient);
      return replies.openForm(view, { ...recipient, triggerId: pressed.trigger_id, inModal: Boolean(pressed.view), retry: interaction });
    }),
  );
}

const outOfDate = message("Sorry, that button is out of date. Type /ti help to see what I can do.");

/**
 * Anything else Slack sends this app (a button, modal or command that isn't ours, say from an old
 * version of a message) is acknowledged at once: unacknowledged, Bolt would hold it for three seconds.
 */
function acknowledgeTheRest(app: App, log: Logger): void {
  app.action(/^(?!ti:)/, async ({ ack, body }) => {
    await ack();
    log.warn({ type: body.type }, "slack action that isn't the bot's; acknowledged");
  });
  app.view({ type: "view_submission", callback_id: new RegExp(`^(?!${formCallbackPrefix})`) }, async ({ ack }) => {
    await ack();
    log.warn("slack modal that isn't the bot's; acknowledged");
  });
  app.view({ type: "view_closed", callback_id: /.*/ }, async ({ ack }) => ack());
  app.command(/^(?!\/ti$)/, async ({ ack, command }) => {
    await ack(ephemeral(message(`I only answer /ti, not ${command.command.slice(0, 30)}. Type /ti help to see what I can do.`)));
  });
}

function formAnswer(form: Form, submitted: Interaction, submittedIds: string[], responseUrl: string | undefined): ViewResponseAction {
  const errors = fieldErrors(form);
  const fits = form.verb === submitted.verb && Object.keys(errors).every((id) => submittedIds.includes(id));
  if (Object.keys(errors).length > 0 && fits) return { response_action: "errors", errors };
  return { response_action: "update", view: modalFor(withErrorsAsProblem(form), responseUrl) };
}

/** Input errors by input id; a problem with the whole form goes on the first input. */
function fieldErrors(form: Form): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const input of form.inputs) if (input.error) errors[input.id] = input.error;
  const first = form.inputs[0];
  if (form.problem && first) errors[first.id] = errors[first.id] ? `${form.problem} ${errors[first.id]}` : form.problem;
  for (const id of Object.keys(errors)) errors[id] = errors[id]!.slice(0, slackLimits.labelText);
  return errors;
}

// Outside a response_action "errors" answer, Slack cannot show field errors: say them above the inputs.
function withErrorsAsProblem(form: Form): Form {
  const lines = [form.problem, ...form.inputs.filter((input) => input.error).map((input) => `${input.label}: ${input.error}`)];
  const problem = lines.filter(Boolean).join("\n");
  return problem ? { ...form, problem } : form;
}

function modalFor(form: Form, responseUrl: string | undefined) {
  return renderModal(form, encodeFormMetadata({ context: form.context, responseUrl }));
}

function ephemeral(view: Message) {
  return { response_type: "ephemeral" as const, ...renderMessage(view) };
}
