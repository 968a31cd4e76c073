import { command, type Request } from "../kernel/context.js";
import { retentionDays } from "./settings.js";
import { pulseSettings } from "../pulses/settings.js";
import { heading, message, note, text, type Message } from "../kernel/view.js";

/** `privacy`: what the bot keeps about people, why, who sees it, for how long, and how to get it or erase it. */
export function showPrivacyNotice({ ctx, requester }: Pick<Request, "ctx" | "requester">): Message {
  const platform = requester.address.platform;
  const contact = ctx.privacyContact ? `contact ${ctx.privacyContact}` : "ask a coordinator";
  const retention = retentionDays(ctx);
  return message(
    `How ${ctx.networkName} uses your data`,
    heading(`Your data in ${ctx.networkName}`),
    text("What I keep:"),
    {
      type: "list",
      items: [
        "The id Slack or Teams gives you, and the name it shows, so I can reply to you. While your workspace is waiting to be connected to the network, that is all I keep: nothing you write.",
        "If you join: your name, organisation, role and training level.",
        "The updates you share.",
        "A record of each message I send you (announcements, invites, reminders): when, and whether it arrived.",
        "If an announcement asks you to acknowledge it (Got it, or one of its choices) and you do: which answer you gave, and when.",
        "If you open a link in an announcement: that you opened it, once, and when. Links go through the bot for 90 days to count this; after that, opening one shows where it leads.",
        "Your answers to event invitations. If you are a champion: the milestone reports you write for your organisation, and whether you paused their reminders.",
        "If you take check-ins: how you were arriving and anything you wrote. If you answer pulses: that you answered a round, never what you answered.",
        "If you record training you've done: which course, or its title, and when.",
        "If you answer a learning-needs survey: that you answered, never what you answered. If you say Stop these to those surveys, that you did.",
        "An audit trail of what coordinators do (role changes, announcements, exports). If a coordinator changes your role, it names you.",
      ],
    },
    text(
      "Why: so champions can share their trauma-informed work, and the network can see where it is happening and show its impact. " +
        "I don't use it for anything else.",
    ),
    text("Who sees what:"),
    {
      type: "list",
      items: [
        "Members see your name, your organisation and the updates you share with the network (in the updates list and the weekly digest); an update you keep to your profile is seen only by you, though it still counts in the network's figures.",
        "Coordinators see the network's figures (in chat, on a dashboard and in a board pack for their board): counts and charts by organisation, sector, locality and principle, including training levels and training done, never a pulse result or a learning need for a small group, and never check-in text.",
        "Check-ins, when you take them, are seen only by you.",
        `Pulse answers are anonymous, and results are shown only for groups of ${pulseSettings(ctx).minimumGroup} or more.`,
        `Learning-needs survey answers are anonymous too: coordinators see counts only, for groups of ${pulseSettings(ctx).minimumGroup} or more.`,
        "Coordinators see who is coming to events, and each organisation's milestone reports, which its champions see too.",
        "Only coordinators see the audit trail and the record of who announcements reached.",
        `Coordinators see how many people acknowledged an announcement, and the share by organisation and sector only for groups of ${pulseSettings(ctx).minimumGroup} or more; the coordinator who sent it sees who hasn't acknowledged it yet, and the record of who it reached shows each person's answer.`,
        `Clicks on links in announcements are counted in aggregate only: coordinators see how many people opened a link, and the share by organisation and sector for groups of ${pulseSettings(ctx).minimumGroup} or more, never who opened it.`,
      ],
    },
    text("How long I keep it:"),
    {
      type: "list",
      items: [
        "Your profile and updates: until you leave.",
        `Records of announcements sent to you, your acknowledgements of them and the links in them you opened: ${days(retention.deliveries)} after sending.`,
        `Check-in text: ${days(retention.checkIns)}.`,
        `The audit trail: ${days(retention.auditEntries)}.`,
        "Download links I give you stop working after an hour; an event's calendar file, a week after the event.",
      ],
    },
    text("Your choices:"),
    {
      type: "list",
      items: [
        `${command(platform, "mydata")}: see everything I hold about you, and download it as a file.`,
        `${command(platform, "digest stop")}: no weekly digest of the network's work.`,
        `${command(platform, "needs stop")}: no more learning-needs surveys.`,
        `${command(platform, "reminders stop")}: no reminders about announcements you haven't answered.`,
        `${command(platform, "leave")}: leave the network and erase your data. You choose whether your updates are deleted or kept without your name.`,
      ],
    },
    note(`Questions about your data? Please ${contact}.`),
  );
}

/** `730` → `2 years`, `90` → `90 days`. */
function days(count: number): string {
  if (count >= 365 && count % 365 === 0) return count === 365 ? "1 year" : `${count / 365} years`;
  return count === 1 ? "1 day" : `${count.toLocaleString("en-GB")} days`;
}
