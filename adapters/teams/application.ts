import { Application } from "@microsoft/teams-ai";
import { ActivityTypes, type TurnContext } from "botbuilder";
import { formOffer, somethingWentWrong } from "../../src/core/kernel/apology.js";
import type { Bot } from "../../src/core/kernel/bot.js";
import type { Address } from "../../src/core/kernel/interaction.js";
import type { View } from "../../src/core/kernel/view.js";
import type { Logger } from "../../src/log.js";
import {
  addressOf,
  botAddedToPersonalChat,
  botAddedToSharedConversation,
  interactionOf,
  removalOf,
  sharedConversationOf,
  teamsActivitySchema,
  type TeamsActivity,
} from "./parse.js";
import { cardActivity } from "./render.js";

/**
 * Routes Teams activities to the core. Loaded at the first Teams request, not at start (bot-framework.ts):
 * @microsoft/teams-ai (with the dialogs, recognizers and tokenizer it brings) costs ~1 s and ~50 MB.
 */
export function teamsApplication(bot: Bot, log: Logger): Application {
  /**
   * Sends an answer; if the connector still refuses it after botbuilder's retries, the delivery engine
   * sends it instead, with the conversation reference, as soon as it can (a form as a button to open it).
   */
  const answering = async (activity: TeamsActivity, view: View, to: Address, retry: { verb: string; text: string }, send: () => Promise<void>) => {
    try {
      await send();
    } catch (error) {
      log.warn({ err: error, activityId: activity.id }, "teams would not take the answer; the delivery engine will send it");
      const later = view.type === "message" ? view : formOffer(retry);
      await quietly(log, activity, "could not queue a Teams answer", () => bot.answerLater(to, later, activity.id));
    }
  };

  // No AI, no storage, no typing indicator (its timer is shared across turns), no mention rewriting
  // (parse.ts does it): the Application only routes activities by type.
  const app = new Application({ removeRecipientMention: false, startTypingTimer: false, longRunningMessages: false });

  app.activity(ActivityTypes.Message, async (context) => {
    const activity = teamsActivitySchema.parse(context.activity);
    const interaction = interactionOf(activity);
    if (!interaction) return;
    let view: View;
    try {
      view = await bot.handle(interaction);
    } catch (error) {
      log.error({ err: error, activityId: activity.id, verb: interaction.verb }, "could not handle a Teams message");
      view = somethingWentWrong(interaction);
    }
    const pressedCard = activity.value !== undefined && view.type === "message" && view.replacesOriginal ? activity.replyToId : undefined;
    await answering(activity, view, interaction.from, interaction, () => (pressedCard ? replaceCard(context, pressedCard, view, log) : reply(context, view)));
  });

  app.conversationUpdate("membersAdded", async (context) => {
    const activity = teamsActivitySchema.parse(context.activity);
    if (botAddedToSharedConversation(activity)) {
      // Added to a team or group chat: a hello there says what works in a channel and what is one-to-one.
      const shared = sharedConversationOf(activity);
      await quietly(log, activity, "could not say hello in a Teams channel", async () => {
        const hello = await bot.handle({ from: addressOf(activity), verb: "help", text: "", ...(shared ? { shared } : {}) });
        await reply(context, hello);
      });
      return;
    }
    if (!botAddedToPersonalChat(activity)) return;
    const address = addressOf(activity);
    await quietly(log, activity, "could not welcome a Teams user", async () => {
      const welcome = await bot.welcome(address);
      await answering(activity, welcome, address, { verb: "help", text: "" }, () => reply(context, welcome));
    });
  });

  // Teams sends this beside the conversationUpdate on a personal install; welcoming twice would be noise.
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const activity = teamsActivitySchema.parse(context.activity);
    if (activity.action?.startsWith("add")) {
      await quietly(log, activity, "could not record a Teams install", () => bot.seen(addressOf(activity)));
      return;
    }
    const removal = removalOf(activity);
    if (removal) await quietly(log, activity, "could not record a Teams uninstall", () => bot.removed(removal));
  });

  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke,
    async (context) => {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
    },
    true,
  );

  return app;
}

async function reply(context: TurnContext, view: View): Promise<void> {
  await context.sendActivity(cardActivity(view));
}

/** Shows the answer in place of the card pressed; if Teams won't update it, as a new message. */
async function replaceCard(context: TurnContext, cardActivityId: string, view: View, log: Logger): Promise<void> {
  try {
    await context.updateActivity({ ...cardActivity(view), id: cardActivityId });
  } catch (error) {
    log.warn({ err: error, activityId: cardActivityId }, "teams would not update the card; sending the answer as a new message");
    await reply(context, view);
  }
}

async function quietly(log: Logger, activity: TeamsActivity, problem: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    log.error({ err: error, activityId: activity.id, type: activity.type }, problem);
  }
}
