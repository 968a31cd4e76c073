import { randomUUID } from "node:crypto";
import type { Bot } from "./bot.js";
import { oneAddress, queueDeliveries } from "./outbox.js";
import { checkIns } from "../check-ins/feature.js";
import { events } from "../events/feature.js";
import type { FormEntry, Handler } from "./feature.js";
import { refusal } from "./authorise.js";
import { slowDown } from "./apology.js";
import { pulses } from "../pulses/feature.js";
import { reports } from "../reports/feature.js";
import { exportAudit, showAudit } from "./audit.js";
import { showBroadcastStatus } from "../broadcasts/broadcast-status.js";
import { cancelBroadcast } from "../broadcasts/cancel-broadcast.js";
import { broadcastForm, submitBroadcastForm } from "../broadcasts/compose-broadcast.js";
import { command, type CoreContext, type Request } from "./context.js";
import { exportBroadcast } from "../broadcasts/export-broadcast.js";
import { joinForm, submitJoin } from "../membership/join-network.js";
import { confirmLeave, leaveNetwork, stayInNetwork } from "../privacy/leave-network.js";
import { linkPlatform } from "../membership/link-platform.js";
import { listUnreachable } from "../membership/list-unreachable.js";
import { recordRemoval } from "./platform-removal.js";
import { listPrinciples } from "../membership/list-principles.js";
import { showMyData } from "../privacy/my-data.js";
import { showPrivacyNotice } from "../privacy/privacy-notice.js";
import { recordAddress } from "./record-address.js";
import { setRole } from "../membership/set-role.js";
import { discardBroadcast, editBroadcast, sendBroadcast } from "../broadcasts/send-broadcast.js";
import { showHelp } from "./show-help.js";
import { showProfile } from "../membership/show-profile.js";
import { shareUpdate, submitUpdateForm } from "../updates/submit-update.js";
import { findVerb } from "./verbs.js";
import { buttons, message, text } from "./view.js";

const coreCommands: Record<string, Handler> = {
  help: async (request) => showHelp(request),
  join: (request) => joinForm(request),
  update: shareUpdate,
  me: showProfile,
  principles: listPrinciples,
  link: linkPlatform,
  role: setRole,
  broadcast: async (request) => {
    const typed = request.interaction.text.trim();
    const form = await broadcastForm(request);
    if (typed) form.inputs = form.inputs.map((input) => (input.id === "message" && input.type === "text" ? { ...input, value: typed } : input));
    return form;
  },
  "broadcast status": showBroadcastStatus,
  "broadcast cancel": cancelBroadcast,
  "broadcast export": exportBroadcast,
  "broadcast send": sendBroadcast,
  "broadcast edit": editBroadcast,
  "broadcast discard": discardBroadcast,
  audit: showAudit,
  unreachable: listUnreachable,
  "audit export": exportAudit,
  privacy: async (request) => showPrivacyNotice(request),
  mydata: showMyData,
  leave: leaveNetwork,
  "leave confirm": confirmLeave,
  "leave stay": async () => stayInNetwork(),
};

const coreForms: Record<string, FormEntry> = {
  join: { who: "anyone", submit: submitJoin },
  update: { who: "anyone", submit: submitUpdateForm },
  broadcast: { who: "coordinators", submit: submitBroadcastForm },
};

/** Words people type that mean a verb we know. */
const coreSynonyms: Record<string, string> = {
  "?": "help",
  start: "help",
  hello: "help",
  hi: "help",
  profile: "me",
  principle: "principles",
  post: "update",
  share: "update",
  data: "mydata",
  gdpr: "privacy",
};

const features = [events, reports, pulses, checkIns];
const commands: Readonly<Record<string, Handler>> = Object.assign({}, coreCommands, ...features.map((feature) => feature.commands));
const synonyms: Readonly<Record<string, string>> = Object.assign({}, coreSynonyms, ...features.map((feature) => feature.synonyms ?? {}));

/** Every form the bot reads back, by the verb it carries, with who may send it. */
export const formCatalogue: Readonly<Record<string, FormEntry>> = Object.assign({}, coreForms, ...features.map((feature) => feature.forms));

/** Every verb that has a handler; each must be in the verb catalogue, which says who may use it. */
export const commandVerbs: readonly string[] = Object.keys(commands);

/**
 * The core: records who wrote, authorises what they asked for (typed, pressed or submitted) against
 * its declaration, routes it to its use case, and returns the view.
 */
export function createBot(ctx: CoreContext): Bot {
  /** Typed commands and presses go at a person's pace; forms, and coordinators' bulk work, are never held. */
  const outpaced = async ({ requester, interaction }: Request) =>
    !interaction.form && !requester.isCoordinator && ctx.pacing !== undefined && !(await ctx.pacing.allow(requester.member?.id ?? requester.addressId));
  return {
    async handle(interaction) {
      const requester = await recordAddress(ctx, interaction.from);
      const request: Request = { ctx, requester, interaction };
      if (await outpaced(request)) return slowDown(command(requester.address.platform, `${interaction.verb} ${interaction.text}`.trim()));
      if (interaction.form) {
        const form = formCatalogue[interaction.verb];
        if (!form) return message("That form is out of date", text("Sorry, that form is out of date. Please start again."));
        return refusal(requester, form.who, { form: interaction.verb }) ?? form.submit(request);
      }
      const verb = synonyms[interaction.verb] ?? interaction.verb;
      if (verb === "") return showHelp(request);
      const info = findVerb(verb);
      const run = commands[verb];
      if (!info || !run) {
        return showHelp(request, `I don't know "${interaction.verb.slice(0, 40)}" yet. Here's what I can do:`);
      }
      return refusal(requester, info.who, { verb }) ?? run({ ...request, interaction: { ...interaction, verb } });
    },

    async welcome(address) {
      const requester = await recordAddress(ctx, address);
      const platform = address.platform;
      if (requester.member) {
        return message(`Welcome back, ${requester.member.displayName}.`, text(`Welcome back, ${requester.member.displayName}. Type ${command(platform, "help")} to see what I can do.`));
      }
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
  };
}
