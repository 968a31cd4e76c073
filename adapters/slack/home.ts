import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs, webApi } from "@slack/bolt";
import { z } from "zod";
import { somethingWentWrong } from "../../src/core/kernel/apology.js";
import type { Bot } from "../../src/core/kernel/bot.js";
import { parseCommand } from "../../src/core/kernel/command.js";
import type { Address, Interaction } from "../../src/core/kernel/interaction.js";
import { buttons, message, text, type Form, type Message } from "../../src/core/kernel/view.js";
import type { Logger } from "../../src/log.js";
import { slackLimits } from "./block-kit.js";
import { readSlackText } from "./parse.js";
import type { Replies } from "./replies.js";
import { renderBlocks } from "./render.js";

/** Slack's App Home opened on its Home tab. */
const homeOpenedSchema = z.object({
  team_id: z.string().min(1),
  event: z.object({ type: z.literal("app_home_opened"), user: z.string().min(1), tab: z.string().optional() }),
});

/**
 * A message in someone's direct messages with the bot. The bot's own posts there come back as events
 * too (with a `bot_id`), as do edits and deletions (with a `subtype`): only what a person wrote is read.
 */
const directMessageSchema = z.object({
  team_id: z.string().min(1),
  event: z.object({
    type: z.literal("message"),
    channel_type: z.literal("im"),
    user: z.string().min(1),
    text: z.string().default(""),
    ts: z.string().min(1),
    client_msg_id: z.string().optional(),
    subtype: z.never().optional(),
    bot_id: z.never().optional(),
  }),
});

export interface HomeDeps {
  bot: Bot;
  replies: (client: webApi.WebClient) => Replies;
  log: Logger;
  track<T>(work: Promise<T>): Promise<T>;
}

/**
 * The bot's App Home: its Home tab shows someone's `home` (published whenever they open it, and again
 * after a button pressed there), and its Messages tab reads what they write as a command, as Teams does.
 */
export function registerHome(app: App, { bot, replies: repliesWith, log, track }: HomeDeps): void {
  app.event(
    "app_home_opened",
    async ({ body, client }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
      const parsed = homeOpenedSchema.safeParse(body);
      if (!parsed.success || (parsed.data.event.tab ?? "home") !== "home") return;
      await track(publishHome(bot, client, { platform: "slack", workspaceId: parsed.data.team_id, userId: parsed.data.event.user }, log));
    },
  );

  app.event("message", async ({ body, client }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs) => {
    const parsed = directMessageSchema.safeParse(body);
    if (!parsed.success) return;
    const { team_id: workspaceId, event } = parsed.data;
    const { text, mentions } = readSlackText(event.text, workspaceId);
    const command = parseCommand(text);
    const interaction: Interaction = {
      from: { platform: "slack", workspaceId, userId: event.user },
      ...command,
      ...(mentions.length > 0 ? { mentions } : {}),
      // Slack retries an event it thinks was missed: the same message id changes nothing twice.
      requestId: event.client_msg_id ?? event.ts,
    };
    await track(answerDirectMessage(bot, repliesWith(client), interaction, log));
  });
}

/** Publishes someone's home to their Home tab. A failure is only logged: the tab keeps what it showed. */
export async function publishHome(bot: Bot, client: webApi.WebClient, to: Address, log: Logger): Promise<void> {
  try {
    const home = await bot.handle({ from: to, verb: "home", text: "" });
    if (home.type !== "message") return;
    await client.views.publish({ user_id: to.userId, view: homeView(home) });
  } catch (error) {
    log.warn({ err: error, workspaceId: to.workspaceId }, "could not publish a slack home tab");
  }
}

/** A home as Slack's Home tab takes it: up to 100 blocks, no text fallback. */
export function homeView(home: Message) {
  return { type: "home" as const, blocks: renderBlocks(home.blocks, slackLimits.homeBlocks) };
}

/** A command written in the Messages tab: answered there; a form can't open from a message, so it comes as a button that opens it. */
async function answerDirectMessage(bot: Bot, replies: Replies, interaction: Interaction, log: Logger): Promise<void> {
  if (!interaction.verb && !interaction.text) return;
  const to = { address: interaction.from, ...(interaction.requestId ? { requestId: interaction.requestId } : {}) };
  try {
    const view = await bot.handle(interaction);
    await replies.deliver(view.type === "message" ? view : formButton(view, interaction), to);
  } catch (error) {
    log.error({ err: error, verb: interaction.verb }, "slack direct message failed");
    await replies.deliver(somethingWentWrong(interaction, { typed: `${interaction.verb} ${interaction.text}`.trim() }), to);
  }
}

/** Slack opens a form (a modal) only from a button or a command, never from a message. */
function formButton(form: Form, asked: Interaction): Message {
  return message(
    form.title,
    text(`${form.title} is a form: press the button to open it.`),
    buttons({ label: `Open: ${form.title}`, verb: asked.verb, text: asked.text, style: "primary" }),
  );
}
