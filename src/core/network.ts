import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/generated/client.js";
import { features } from "./features.js";

/** The six principles of the UK working definition of trauma-informed practice (2022). */
export const defaultPrinciples = [
  { name: "Safety", meaning: "The physical, psychological and emotional safety of people and staff comes first." },
  { name: "Trust", meaning: "Decisions and policies are open and clear, so trust can grow." },
  { name: "Choice", meaning: "People share in decisions and goals about their own support." },
  { name: "Collaboration", meaning: "The experience of staff and the people they support is valued and used to improve things." },
  { name: "Empowerment", meaning: "Power is shared, and people have a strong voice in decisions." },
  { name: "Cultural consideration", meaning: "Practice moves past stereotypes and biases and responds to each person's culture and identity." },
] as const;

export interface NetworkSettings {
  name: string;
  timeZone: string;
  /** The sending hours a new network starts with (TI_SENDING_HOURS). */
  sendingHours: string;
}

/**
 * The network this deployment serves, created with the default principles on first start, then each
 * feature's starting data (`Feature.seed`, e.g. the pulse question bank). Safe when replicas start
 * together: the first to commit wins and the others read its row.
 */
export async function ensureNetwork(prisma: PrismaClient, settings: NetworkSettings) {
  const network = await findOrCreateNetwork(prisma, settings);
  for (const feature of features) await feature.seed?.(prisma, network.id);
  if (network.linkSecret) return { ...network, linkSecret: network.linkSecret };
  // Only the first replica's secret is kept; the others read it back.
  await prisma.network.updateMany({ where: { id: network.id, linkSecret: null }, data: { linkSecret: randomBytes(32).toString("base64url") } });
  const { linkSecret } = await prisma.network.findUniqueOrThrow({ where: { id: network.id }, select: { linkSecret: true } });
  return { ...network, linkSecret: linkSecret! };
}

async function findOrCreateNetwork(prisma: PrismaClient, settings: NetworkSettings) {
  const existing = await prisma.network.findFirst({ orderBy: { createdAt: "asc" } });
  if (existing) return existing;
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7243002)`;
    const raced = await tx.network.findFirst({ orderBy: { createdAt: "asc" } });
    if (raced) return raced;
    return tx.network.create({
      data: {
        name: settings.name,
        timeZone: settings.timeZone,
        sendingHours: settings.sendingHours,
        principles: { create: defaultPrinciples.map((principle, position) => ({ ...principle, position })) },
      },
    });
  });
}
