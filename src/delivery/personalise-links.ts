import { broadcastNumberOf, loadBroadcastLinks, withCountedLinks } from "../core/broadcasts/broadcast-links.js";
import type { LinkSigner } from "../core/kernel/context.js";
import type { Message } from "../core/kernel/view.js";
import type { PrismaClient } from "../db/generated/client.js";
import type { ClaimedDelivery } from "./outbox-store.js";

/** Turns a claimed delivery's view into what this recipient is sent. */
export type Personalise = (delivery: ClaimedDelivery) => Promise<Message>;

/**
 * The dispatcher's last step before sending: a broadcast's own message gets the recipient's counted links,
 * signed over the delivery's id (which only exists once the row does, so the core can't do it when it
 * queues). A broadcast's links never change once it is sent, so they are read once per broadcast.
 *
 * @example
 * createDispatcher({ ..., personalise: personaliseLinks({ prisma, links, now }) });
 */
export function personaliseLinks({ prisma, links, now }: { prisma: PrismaClient; links: Pick<LinkSigner, "sign">; now: () => Date }): Personalise {
  const known = new Map<number, Promise<{ position: number; url: string }[]>>();
  const linksOf = (number: number) => {
    let found = known.get(number);
    if (!found) {
      if (known.size >= 200) known.clear();
      found = loadBroadcastLinks(prisma, number);
      known.set(number, found);
      found.catch(() => known.delete(number));
    }
    return found;
  };
  return async (delivery) => {
    const number = broadcastNumberOf(delivery.purposeKey);
    if (number === null || !delivery.view.blocks.some((block) => block.type === "formatted")) return delivery.view;
    return withCountedLinks(delivery.view, await linksOf(number), links, { number, deliveryId: delivery.id, sentAt: now() });
  };
}
