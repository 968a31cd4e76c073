// The joined champions the Slack benchmarks post as: one network, one organisation, and `people` members,
// each with a Slack address in the bench workspace.
import { randomUUID } from "node:crypto";
import { ensureNetwork } from "../src/core/network.js";
import type { Database } from "../src/db/database.js";

/** The Slack workspace the bench champions are in. */
export const benchTeam = "TBENCH";

/** The Slack user id of bench champion `index`. */
export const benchUserId = (index: number) => `UBENCH${index}`;

export async function seedChampions(db: Pick<Database, "prisma">, people: number): Promise<{ networkId: string; organisationId: string }> {
  const network = await ensureNetwork(db.prisma, { name: "Bench network", timeZone: "Europe/London", sendingHours: "always" });
  const organisation = await db.prisma.organisation.create({ data: { networkId: network.id, name: "Bench Trust", sector: "health" } });
  const members = Array.from({ length: people }, (_, index) => ({ id: randomUUID(), userId: benchUserId(index) }));
  await db.prisma.member.createMany({
    data: members.map(({ id }, index) => ({ id, networkId: network.id, displayName: `Bench Champion ${index}`, role: "champion", organisationId: organisation.id })),
  });
  await db.prisma.address.createMany({ data: members.map(({ id, userId }) => ({ platform: "slack", workspaceId: benchTeam, userId, memberId: id })) });
  return { networkId: network.id, organisationId: organisation.id };
}
