import { command, type Request } from "../kernel/context.js";
import { heading, message, note, type Message } from "../kernel/view.js";

/** The network's principles with their one-line meanings, in the network's order. */
export async function listPrinciples({ ctx, requester }: Request): Promise<Message> {
  const principles = await ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" } });
  const example = principles[0] ? `#${principles[0].name.split(/\s+/)[0]!.toLowerCase()}` : "#safety";
  return message(
    `The network's ${principles.length} principles`,
    heading(`Our ${principles.length} principles`),
    { type: "fields", fields: principles.map((principle) => ({ label: principle.name, value: principle.meaning })) },
    note(`Tag an update with a principle's name, e.g. ${command(requester.address.platform, `update Ran a reflective session ${example}`)}`),
  );
}
