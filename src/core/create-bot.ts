import type { Bot } from "./bot.js";
import { checkIns } from "./check-ins/feature.js";
import { events } from "./events/feature.js";
import type { Handler } from "./feature.js";
import { pulses } from "./pulses/feature.js";
import { reports } from "./reports/feature.js";
import { exportAudit, showAudit } from "./audit.js";
import { showBroadcastStatus } from "./broadcast-status.js";
import { cancelBroadcast } from "./cancel-broadcast.js";
import { broadcastForm, submitBroadcastForm } from "./compose-broadcast.js";
import { command, type CoreContext, type Request } from "./context.js";
import { exportBroadcast } from "./export-broadcast.js";
import { joinForm, submitJoin } from "./join-network.js";
import { confirmLeave, leaveNetwork, stayInNetwork } from "./leave-network.js";
import { linkPlatform } from "./link-platform.js";
import { listUnreachable } from "./list-unreachable.js";
import { recordRemoval } from "./platform-removal.js";
import { listPrinciples } from "./list-principles.js";
import { showMyData } from "./my-data.js";
import { showPrivacyNotice } from "./privacy-notice.js";
import { recordAddress } from "./record-address.js";
import { setRole } from "./set-role.js";
import { discardBroadcast, editBroadcast, sendBroadcast } from "./send-broadcast.js";
import { showHelp } from "./show-help.js";
import { showProfile } from "./show-profile.js";
import { shareUpdate, submitUpdateForm } from "./submit-update.js";
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

const coreForms: Record<string, Handler> = {
  join: submitJoin,
  update: submitUpdateForm,
  broadcast: submitBroadcastForm,
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

/** The core: records who wrote, routes the verb or form to its use case, and returns the view. */
export function createBot(ctx: CoreContext): Bot {
  const features = [events, reports, pulses, checkIns];
  const commands: Record<string, Handler> = Object.assign({}, coreCommands, ...features.map((feature) => feature.commands));
  const forms: Record<string, Handler> = Object.assign({}, coreForms, ...features.map((feature) => feature.forms));
  const synonyms: Record<string, string> = Object.assign({}, coreSynonyms, ...features.map((feature) => feature.synonyms ?? {}));
  return {
    async handle(interaction) {
      const requester = await recordAddress(ctx, interaction.from);
      const request: Request = { ctx, requester, interaction };
      if (interaction.form) {
        const submit = forms[interaction.verb];
        if (submit) return submit(request);
        return message("That form is out of date", text("Sorry, that form is out of date. Please start again."));
      }
      const verb = synonyms[interaction.verb] ?? interaction.verb;
      if (verb === "") return showHelp(request);
      const info = findVerb(verb);
      const run = commands[verb];
      if (!info || !run) {
        return showHelp(request, `I don't know "${interaction.verb.slice(0, 40)}" yet. Here's what I can do:`);
      }
      if (info.coordinatorOnly && !requester.isCoordinator) {
        const reply = `Only the network's coordinators can use ${command(requester.address.platform, verb)}. If you think you should be one, ask a coordinator.`;
        return message(reply);
      }
      return run({ ...request, interaction: { ...interaction, verb } });
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

    async seen(address) {
      await recordAddress(ctx, address);
    },

    async removed(removal) {
      await recordRemoval(ctx, removal);
    },
  };
}
