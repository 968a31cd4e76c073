// The network the broadcast-engagement tests send to: two coordinators, and three organisations of
// different sizes (6, 2 and 3 champions) so small groups fold under TI_MIN_GROUP=5.
import type { TestApp } from "./app.js";
import { seedMembers, type SeededMember } from "./seed.js";

export interface EngagementNetwork {
  coordinators: SeededMember[];
  /** Five on Slack and one on Teams. */
  riverside: SeededMember[];
  hilltop: SeededMember[];
  moor: SeededMember[];
}

export async function seedEngagementNetwork(t: TestApp, teamsServiceUrl: string): Promise<EngagementNetwork> {
  const prisma = t.db.prisma;
  const coordinators = await seedMembers(prisma, { slack: { count: 2 }, role: "coordinator" });
  const riversideOrg = { name: "Riverside Housing", sector: "housing" as const };
  const riverside = [
    ...(await seedMembers(prisma, { slack: { count: 5 }, role: "champion", organisation: riversideOrg })),
    ...(await seedMembers(prisma, { teams: { count: 1, serviceUrl: teamsServiceUrl }, role: "champion", organisation: riversideOrg })),
  ];
  const hilltop = await seedMembers(prisma, { slack: { count: 2 }, role: "champion", organisation: { name: "Hilltop School", sector: "education" } });
  const moor = await seedMembers(prisma, { slack: { count: 3 }, role: "champion", organisation: { name: "Moor Trust", sector: "health" } });
  return { coordinators, riverside, hilltop, moor };
}

/** The Slack answer to a request: in the ack when it was quick, else what came to the response_url. */
export async function slackAnswer(t: TestApp, request: Promise<{ status: number; answer?: any; since: number }>): Promise<any> {
  const { status, answer, since } = await request;
  if (status !== 200) throw new Error(`Slack request answered ${status}`);
  if (answer && typeof answer === "object") return answer;
  return (await t.slack.waitFor("response_url", { since })).body;
}
