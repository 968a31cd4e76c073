import { randomUUID } from "node:crypto";
import { slowDown } from "./apology.js";
import { refusal } from "./authorise.js";
import type { Bot } from "./bot.js";
import { catalogue } from "./catalogue.js";
import { command, type CoreContext, type Request } from "./context.js";
import type { Feature, Handler } from "./feature.js";
import type { ParsedCommand } from "./interaction.js";
import { oneAddress, queueDeliveries } from "./outbox.js";
import { recordRemoval } from "./platform-removal.js";
import { recordAddress } from "./record-address.js";
import { answerInShared } from "./shared-conversation.js";
import { showHelp } from "./show-help.js";
import { showHome } from "./show-home.js";
import { buttons, message, text } from "./view.js";
import { recordInstall, workspaceGate } from "./workspace-gate.js";

/**
 * The core: records who wrote, authorises what they asked for (typed, pressed or submitted) against
 * its feature's declaration, routes it to its use case, and returns the view.
 *
 * @example
 * const bot = createBot(ctx, features);
 * await bot.handle({ from, verb: "update", text: "Ran a workshop #safety" });
 */
export function createBot(ctx: CoreContext, features: readonly Feature[]): Bot {
  const declared = catalogue(features);
  const { areas, verbs, commands, forms, synonyms } = declared;
  const known = new Map(verbs.map((entry) => [entry.verb, entry]));
  const help = (request: Request, opening?: string) => showHelp(areas, request, opening);
  const home = async (request: Request) => showHome(await declared.home(request), request);
  const routes: Readonly<Record<string, Handler>> = { ...commands, help: async (request) => help(request), home };

  /** The verb meant: two words when the first and the next make one (`broadcast status 12`), else a synonym's. */
  const verbOf = ({ verb, text }: ParsedCommand): ParsedCommand => {
    const next = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text);
    if (next && known.has(`${verb} ${next[1]!.toLowerCase()}`)) return { verb: `${verb} ${next[1]!.toLowerCase()}`, text: (next[2] ?? "").trim() };
    return { verb: synonyms[verb] ?? verb, text };
  };

  /** Typed commands and presses go at a person's pace; forms, and coordinators' bulk work, are never held. */
  const outpaced = async ({ requester, interaction }: Request) =>
    !interaction.form && !requester.isCoordinator && ctx.pacing !== undefined && !(await ctx.pacing.allow(requester.member?.id ?? requester.addressId));

  return {
    async handle(interaction) {
      const requester = await recordAddress(ctx, interaction.from);
      // Before anything else: someone whose workspace isn't in the network gets a kind answer, and nothing of theirs is kept.
      const closed = await workspaceGate(ctx, requester);
      if (closed) return closed;
      const request: Request = { ctx, requester, interaction };
      if (await outpaced(request)) return slowDown(command(requester.address.platform, `${interaction.verb} ${interaction.text}`.trim()));
      if (interaction.form) {
        const form = forms[interaction.verb];
        if (!form) return message("That form is out of date", text("Sorry, that form is out of date. Please start again."));
        return refusal(requester, form.who, { form: interaction.verb }) ?? form.submit(request);
      }
      const { verb, text: rest } = verbOf(interaction);
      const info = known.get(verb);
      if (interaction.shared && !info?.inShared) return answerInShared(areas, request, verb);
      if (verb === "") return help(request);
      const run = routes[verb];
      if (!info || !run) return help(request, `I don't know "${interaction.verb.slice(0, 40)}" yet. Here's what I can do:`);
      return refusal(requester, info.who, { verb }) ?? run({ ...request, interaction: { ...interaction, verb, text: rest } });
    },

    async welcome(address) {
      const requester = await recordAddress(ctx, address);
      const closed = await workspaceGate(ctx, requester);
      if (closed) return closed;
      const platform = address.platform;
      // Someone who installs the bot again comes back to their home: what waits for them, and what's new.
      if (requester.member) return home({ ctx, requester, interaction: { from: address, verb: "home", text: "" } });
      return message(
        `Welcome to ${ctx.networkName}`,
        text(`Hello! I'm the ${ctx.networkName} bot. I help champions share trauma-informed work and help the network see it.`),
        text(`Join in a minute, then share updates with ${command(platform, "update <what you did>")}.`),
        buttons({ label: "Join the network", verb: "join", style: "primary" }, { label: "What can you do?", verb: "help" }),
      );
    },

    async answerLater(to, view, requestId) {
      const requester = await recordAddress(ctx, to);
      await queueDeliveries(ctx, {
        purposeKey: `answer:${requestId ?? randomUUID()}`,
        view,
        recipients: oneAddress({ addressId: requester.addressId, memberId: requester.member?.id ?? null }),
        respectQuietHours: false,
      });
    },

    async seen(address) {
      await recordAddress(ctx, address);
    },

    async removed(removal) {
      await recordRemoval(ctx, removal);
    },

    async installed(workspace) {
      await recordInstall(ctx, workspace);
    },
  };
}
