// Members seeded straight into the test's real database, for tests about many recipients: joining a
// thousand people through the endpoints would test joining, not delivery.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../src/db/generated/client.js";

export interface SeededMember {
  memberId: string;
  addressId: string;
  platform: "slack" | "teams";
  workspaceId: string;
  userId: string;
  /** Teams: the conversation the bot writes to. */
  conversationId?: string;
}

export interface SeedOptions {
  slack?: { count: number; workspaceId?: string };
  teams?: { count: number; tenantId?: string; serviceUrl: string };
  role?: "member" | "champion" | "coordinator";
  organisation?: { name: string; sector: "health" | "education" | "police" | "housing" | "local_authority" | "voluntary_community" | "other"; locality?: string };
}

/** Members of the network, each with one active address on its platform. */
export async function seedMembers(prisma: PrismaClient, options: SeedOptions): Promise<SeededMember[]> {
  const network = await prisma.network.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  const organisation = options.organisation
    ? await prisma.organisation.upsert({
        where: { networkId_name: { networkId: network.id, name: options.organisation.name } },
        create: { networkId: network.id, ...options.organisation },
        update: {},
      })
    : undefined;
  const seeded: SeededMember[] = [];
  const tag = randomUUID().slice(0, 8);
  for (let index = 0; index < (options.slack?.count ?? 0); index++) {
    seeded.push({ memberId: randomUUID(), addressId: randomUUID(), platform: "slack", workspaceId: options.slack?.workspaceId ?? "T0TEST", userId: `U${tag}${index}`.toUpperCase() });
  }
  for (let index = 0; index < (options.teams?.count ?? 0); index++) {
    const userId = `29:1${tag}${index}`;
    seeded.push({ memberId: randomUUID(), addressId: randomUUID(), platform: "teams", workspaceId: options.teams?.tenantId ?? "tenant-1", userId, conversationId: `a:${tag}${index}` });
  }
  const serviceUrl = options.teams?.serviceUrl;
  await prisma.member.createMany({
    data: seeded.map((member, index) => ({
      id: member.memberId,
      networkId: network.id,
      displayName: `Person ${tag} ${index}`,
      role: options.role ?? "champion",
      organisationId: organisation?.id ?? null,
    })),
  });
  await prisma.address.createMany({
    data: seeded.map((member) => ({
      id: member.addressId,
      platform: member.platform,
      workspaceId: member.workspaceId,
      userId: member.userId,
      memberId: member.memberId,
      conversationRef:
        member.platform === "teams"
          ? {
              activityId: "1",
              user: { id: member.userId, name: "Person" },
              bot: { id: "28:bot", name: "TI Champions" },
              conversation: { id: member.conversationId!, conversationType: "personal", tenantId: member.workspaceId, isGroup: false },
              channelId: "msteams",
              locale: "en-GB",
              serviceUrl: serviceUrl!,
            }
          : undefined,
    })),
  });
  return seeded;
}
