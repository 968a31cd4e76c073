import type { Request } from "../kernel/context.js";
import type { HomeContribution } from "../kernel/feature.js";

/** On a home: their profile; for coordinators, how many people and organisations the network has. */
export async function membershipHome({ ctx, requester }: Request): Promise<HomeContribution> {
  if (!requester.member) return {};
  if (!requester.isCoordinator) return { actions: [{ label: "My profile", verb: "me" }] };
  const [people, organisations] = await Promise.all([
    ctx.prisma.member.groupBy({ by: ["role"], where: { networkId: ctx.networkId, leftAt: null }, _count: { _all: true } }),
    ctx.prisma.organisation.count({ where: { networkId: ctx.networkId } }),
  ]);
  const count = (role?: string) => people.filter((group) => !role || group.role === role).reduce((sum, group) => sum + group._count._all, 0);
  return {
    actions: [{ label: "My profile", verb: "me" }],
    glance: [`${count().toLocaleString("en-GB")} members, ${count("champion").toLocaleString("en-GB")} of them champions, in ${organisations.toLocaleString("en-GB")} organisations`],
  };
}
