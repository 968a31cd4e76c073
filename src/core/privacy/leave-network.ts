import { z } from "zod";
import { command, isBootstrapCoordinator, type Request } from "../kernel/context.js";
import { formerCoordinator, formerMember } from "../kernel/member-data.js";
import { eraseMember } from "./member-records.js";
import { buttons, heading, message, note, text, type Block, type Message } from "../kernel/view.js";

const choiceSchema = z.enum(["delete", "keep"]);

const platformName = (platform: string) => (platform === "slack" ? "Slack" : "Teams");
const updatesCount = (count: number) => `${count.toLocaleString("en-GB")} ${count === 1 ? "update" : "updates"}`;
const anonymousAuthor = (organisation: string | null) => (organisation ? `a champion from ${organisation}` : "a champion");

/** `leave`: says what leaving erases and what stays, and asks what to do with my updates. */
export async function leaveNetwork(request: Request): Promise<Message> {
  const { ctx, requester } = request;
  if (!requester.member) return notAMember(request);
  const platform = requester.address.platform;
  const member = requester.member;
  const [updates, otherCoordinators] = await Promise.all([
    ctx.prisma.update.count({ where: { authorId: member.id } }),
    ctx.prisma.member.count({ where: { networkId: ctx.networkId, role: "coordinator", leftAt: null, id: { not: member.id } } }),
  ]);
  const bootstrap = isBootstrapCoordinator(ctx, requester.address);
  const configuredOthers = ctx.coordinators.some((entry) => entry.platform !== platform || entry.userId !== requester.address.userId);
  const onlyCoordinator = member.role === "coordinator" && !bootstrap && otherCoordinators === 0 && !configuredOthers;

  const blocks: Block[] = [
    heading(`Leaving ${ctx.networkName}`),
    text("If you leave, I'll erase:"),
    {
      type: "list",
      items: [
        "your profile: your name, organisation, role and training level",
        "your Slack and Teams accounts as I know them, and any link codes",
        "announcements still waiting to reach you, and the records of those sent to you",
      ],
    },
    text(
      updates === 0
        ? "You haven't shared any updates, so there are none to delete or keep."
        : `Your ${updatesCount(updates)}: you choose. I can delete ${updates === 1 ? "it" : "them"}, or keep ${updates === 1 ? "it" : "them"} for the network's record without your name, shown as “${anonymousAuthor(member.organisationName)}”.`,
    ),
    text(
      `Where the coordinators' audit trail names you, your name becomes “${formerMember}” or “${formerCoordinator}”. ` +
        "Announcements you wrote as a coordinator stay as the network's record, without your name.",
    ),
  ];
  if (bootstrap) {
    blocks.push(text("You're a coordinator through the bot's configuration (TI_COORDINATORS). Leaving erases your membership, but you'll still be a coordinator here until that setting is changed."));
  }
  if (onlyCoordinator) {
    blocks.push(text("You're the network's only coordinator. After you leave, nobody can send announcements or change roles until someone else is made a coordinator."));
  }
  blocks.push(
    note(`This can't be undone, but you can join again later as a new member. Want a copy of your data first? Type ${command(platform, "mydata")}.`),
    updates === 0
      ? buttons({ label: "Leave the network", verb: "leave confirm", text: "delete", style: "danger" }, { label: "Stay", verb: "leave stay", style: "primary" })
      : buttons(
          { label: "Leave and delete my updates", verb: "leave confirm", text: "delete", style: "danger" },
          { label: "Leave, keep my updates without my name", verb: "leave confirm", text: "keep" },
          { label: "Stay", verb: "leave stay", style: "primary" },
        ),
  );
  return message(`Leaving ${ctx.networkName}: what happens`, ...blocks);
}

/** `leave confirm delete|keep`, from the confirmation's buttons: erases the member in one transaction. */
export async function confirmLeave(request: Request): Promise<Message> {
  const { ctx, requester, interaction } = request;
  if (!requester.member) return notAMember(request);
  const choice = choiceSchema.safeParse(interaction.text.trim().toLowerCase());
  if (!choice.success) return leaveNetwork(request);
  const platform = requester.address.platform;
  const organisation = requester.member.organisationName;
  const erased = await eraseMember(ctx, requester.member.id, choice.data);
  if (!erased) return notAMember(request);

  const updates =
    erased.updates === 0
      ? ""
      : choice.data === "delete"
        ? ` Your ${updatesCount(erased.updates)} ${erased.updates === 1 ? "was" : "were"} deleted.`
        : ` Your ${updatesCount(erased.updates)} ${erased.updates === 1 ? "is" : "are"} kept without your name, as “${anonymousAuthor(organisation)}”.`;
  const blocks: Block[] = [
    text(`You've left ${ctx.networkName}. Your profile, your Slack and Teams accounts as I knew them, and the announcements sent or waiting for you are erased.${updates}`),
    text(`Thank you for everything you've done for trauma-informed practice. You're welcome back any time: ${command(platform, "join")} makes you a new member.`),
  ];
  if (isBootstrapCoordinator(ctx, requester.address)) {
    blocks.push(note("You're still a coordinator through the bot's configuration (TI_COORDINATORS) until that setting is changed."));
  }
  return message(`You've left ${ctx.networkName}`, ...blocks);
}

/** `leave stay`: the person changed their mind. */
export function stayInNetwork(): Message {
  const reply = "Glad you're staying. Nothing has changed.";
  return message(reply);
}

function notAMember({ ctx, requester }: Request): Message {
  const platform = requester.address.platform;
  const reply = `You're not a member of ${ctx.networkName}, so there's nothing to erase. If you left before, your data was erased then.`;
  return message(
    reply,
    text(reply),
    note(`All I hold is the id and name ${platformName(platform)} gave me when you wrote, so I can reply. See it with ${command(platform, "mydata")}.`),
  );
}
