import { z } from "zod";
import type { NetworkEvent } from "../../db/generated/client.js";
import { audienceSchema, type Audience } from "../kernel/audience.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { message, type Message } from "../kernel/view.js";
import { withCourse, type DeliveredCourse } from "./event-card.js";

export type StoredEvent = Omit<NetworkEvent, "audience"> & { audience: Audience; trainingCourse?: DeliveredCourse | null };

const numberSchema = z.coerce.number().int().min(1).max(999_999_999);

/** The network's event numbered `number`, with its audience read; null when there is none. */
export async function loadEvent(ctx: CoreContext, number: number): Promise<StoredEvent | null> {
  const event = await ctx.prisma.networkEvent.findFirst({ where: { networkId: ctx.networkId, number }, include: withCourse });
  return event ? { ...event, audience: audienceSchema.parse(event.audience) } : null;
}

/** The event named by the first word of what was typed (`event edit 4`), or a kind answer saying what to type. */
export async function findEvent(request: Request, verb: string): Promise<{ event: StoredEvent; rest: string[] } | { problem: Message }> {
  const [first, ...rest] = request.interaction.text.trim().replace(/^#/, "").split(/\s+/);
  const parsed = numberSchema.safeParse(first);
  const platform = request.requester.address.platform;
  if (!first || !parsed.success) {
    return { problem: message(`Please say which event, like ${command(platform, `${verb} 4`)}. ${command(platform, "events")} lists them with their numbers.`) };
  }
  const event = await loadEvent(request.ctx, parsed.data);
  if (!event) return { problem: message(`I can't find event #${parsed.data}. ${command(platform, "events")} lists the upcoming ones.`) };
  return { event, rest };
}

