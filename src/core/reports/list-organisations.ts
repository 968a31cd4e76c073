import type { Request } from "../kernel/context.js";
import { sectorLabels } from "../kernel/labels.js";
import { buttons, heading, message, note, text, type Block, type Message } from "../kernel/view.js";
import { describeDay } from "./days.js";
import { describeKeyAction } from "./key-actions.js";

const organisationDetails = {
  id: true,
  name: true,
  sector: true,
  locality: true,
  pledgeSignedOn: true,
  keyActions: { orderBy: { position: "asc" as const }, select: { text: true, targetDate: true, status: true } },
  members: { where: { leftAt: null, role: "champion" as const }, orderBy: { displayName: "asc" as const }, select: { displayName: true } },
};

/** `orgs`: every organisation with its pledge, key actions and champions. */
export async function listOrganisations({ ctx }: Request): Promise<Message> {
  const organisations = await ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: organisationDetails });
  if (organisations.length === 0) {
    return message("No organisations yet.", text("No organisations yet. Add one with org add, or people add theirs when they join."));
  }
  const items = organisations.map((organisation) => {
    const where = [sectorLabels[organisation.sector], organisation.locality].filter(Boolean).join(", ");
    const pledge = organisation.pledgeSignedOn ? `pledge signed ${describeDay(organisation.pledgeSignedOn)}` : "pledge not recorded";
    const champions = organisation.members.length === 0 ? "no champions yet" : `champions: ${organisation.members.map((member) => member.displayName).join(", ")}`;
    const actions = organisation.keyActions.length === 0 ? "no key actions yet" : organisation.keyActions.map(describeKeyAction).join("; ");
    return `${organisation.name} (${where}): ${pledge}; ${champions}. Key actions: ${actions}`;
  });
  return message(
    `${organisations.length} organisation${organisations.length === 1 ? "" : "s"}`,
    heading("Organisations"),
    { type: "list", items },
    note("Edit one with org edit <name>; add one with org add."),
  );
}

/** `org`: the requester's own organisation, with a way for its champions to update the key actions. */
export async function showMyOrganisation({ ctx, requester }: Request): Promise<Message> {
  const organisationId = requester.member?.organisationId;
  const organisation = organisationId
    ? await ctx.prisma.organisation.findFirst({ where: { id: organisationId, networkId: ctx.networkId }, select: organisationDetails })
    : null;
  if (!organisation) {
    const reply = "You haven't told me your organisation yet. You can add it with join.";
    return message(reply, text(reply), buttons({ label: "Join or edit my profile", verb: "join" }));
  }
  const blocks: Block[] = [
    heading(organisation.name),
    {
      type: "fields",
      fields: [
        { label: "Sector", value: sectorLabels[organisation.sector] },
        { label: "Locality", value: organisation.locality ?? "Not given" },
        { label: "Pledge signed", value: organisation.pledgeSignedOn ? describeDay(organisation.pledgeSignedOn) : "Not recorded yet" },
        { label: "Champions", value: organisation.members.map((member) => member.displayName).join(", ") || "None yet" },
      ],
    },
    organisation.keyActions.length > 0 ? { type: "list", items: organisation.keyActions.map(describeKeyAction) } : text("No key actions recorded yet."),
  ];
  if (requester.member?.role !== "member") {
    blocks.push(buttons({ label: "Update key actions", verb: "org actions" }, { label: "Milestone report", verb: "report" }));
  }
  return message(`${organisation.name}: pledge and key actions`, ...blocks);
}
