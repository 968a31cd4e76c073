import { RateLimiterMemory, RateLimiterQueue, RateLimiterRes } from "rate-limiter-flexible";
import type { Platform } from "../core/kernel/interaction.js";
import type { DeliveryTarget } from "./outbound.js";

/** Messages per second each platform allows: per workspace or tenant, and per conversation. */
export interface RateLimits {
  teams: { perWorkspace: number; perConversation: number };
  slack: { perWorkspace: number; perConversation: number };
}

/** Waits until a message to `target` is within its platform's limits. */
export interface SendLimiter {
  acquire(target: DeliveryTarget): Promise<void>;
}

/**
 * Paces sends with rate-limiter-flexible: one token per `1/rate` seconds, so messages are spread evenly
 * rather than sent in bursts at each second's start (Teams also counts over 2 s and 30 s windows).
 * Workspaces queue first-come first-served; conversations (one per person) rarely wait, so they
 * retry rather than keep a queue per person in memory.
 */
export function createSendLimiter(limits: RateLimits): SendLimiter {
  const workspaces = new Map<Platform, RateLimiterQueue>();
  const conversations = new Map<Platform, RateLimiterMemory>();
  for (const platform of ["slack", "teams"] as const) {
    workspaces.set(platform, new RateLimiterQueue(paced(limits[platform].perWorkspace)));
    conversations.set(platform, paced(limits[platform].perConversation));
  }
  return {
    async acquire(target) {
      await take(conversations.get(target.platform)!, `${target.workspaceId}/${target.userId}`);
      await workspaces.get(target.platform)!.removeTokens(1, target.workspaceId);
    },
  };
}

function paced(perSecond: number): RateLimiterMemory {
  return new RateLimiterMemory({ points: 1, duration: 1 / perSecond });
}

async function take(limiter: RateLimiterMemory, key: string): Promise<void> {
  for (;;) {
    try {
      await limiter.consume(key);
      return;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, refusal.msBeforeNext)));
    }
  }
}
