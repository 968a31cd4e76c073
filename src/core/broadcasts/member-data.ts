import { broadcastMessage } from "./compose-broadcast.js";
import { formerCoordinator, type Db, type MemberDataPart } from "../kernel/member-data.js";

/** Broadcast numbers a member cancelled, as the audit trail recorded them (`broadcast #12`). */
async function broadcastsCancelledBy(tx: Db, memberId: string): Promise<number[]> {
  const entries = await tx.auditEntry.findMany({ where: { actorId: memberId, action: "broadcast.cancel" }, select: { subject: true } });
  return entries.flatMap((entry) => {
    const number = /^broadcast #(\d+)$/.exec(entry.subject)?.[1];
    return number ? [Number(number)] : [];
  });
}

const deliveries: MemberDataPart = {
  model: "Delivery",
  key: "deliveries",
  about: "Announcements the bot sent you, or was due to send you: what, when, and whether it arrived.",
  onLeave:
    "Deleted, sent or not. Where you wrote or cancelled an announcement, the messages other people got say “a former coordinator” instead of your name.",
  exportRows: (db, memberId) =>
    db.delivery.findMany({ where: { OR: [{ memberId }, { address: { memberId } }] }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver, network) {
    const authored = await tx.broadcast.findMany({ where: { authorId: leaver.id }, select: { id: true, number: true, text: true, ackChoices: true } });
    for (const broadcast of authored) {
      await tx.delivery.updateMany({
        where: { broadcastId: broadcast.id, purposeKey: `broadcast:${broadcast.number}` },
        data: { view: JSON.parse(JSON.stringify(broadcastMessage(network, { ...broadcast, authorName: formerCoordinator }))) },
      });
    }
    const cancelled = await broadcastsCancelledBy(tx, leaver.id);
    if (cancelled.length > 0) {
      await tx.delivery.updateMany({
        where: { broadcast: { number: { in: cancelled } }, lastError: `cancelled by ${leaver.displayName}` },
        data: { lastError: `cancelled by ${formerCoordinator}` },
      });
    }
    await tx.delivery.deleteMany({ where: { OR: [{ memberId: leaver.id }, { addressId: { in: leaver.addresses.map((address) => address.id) } }] } });
  },
};

const broadcasts: MemberDataPart = {
  model: "Broadcast",
  key: "broadcasts",
  about: "Announcements you wrote as a coordinator, sent or not.",
  onLeave: "Kept as the network's record, without your name.",
  exportRows: (db, memberId) =>
    db.broadcast.findMany({ where: { authorId: memberId }, orderBy: { createdAt: "asc" }, include: { links: { orderBy: { position: "asc" }, select: { position: true, url: true } } } }),
  async erase(tx, leaver) {
    await tx.broadcast.updateMany({ where: { authorId: leaver.id }, data: { authorId: null } });
  },
};

const links: MemberDataPart = {
  model: "BroadcastLink",
  key: "broadcasts.links",
  about: "The links in announcements you wrote, numbered so clicks on them can be counted.",
  onLeave: "Kept with the announcement, as the network's record.",
  exportRows: { within: "Broadcast" },
  erase: { cascade: "Broadcast" },
};

const acknowledgements: MemberDataPart = {
  model: "BroadcastAcknowledgement",
  key: "broadcastAcknowledgements",
  about: "Your answers to announcements that asked for one (Got it, or one of its choices): which announcement, what you chose, and when.",
  onLeave: "Deleted.",
  exportRows: (db, memberId) =>
    db.broadcastAcknowledgement.findMany({ where: { memberId }, orderBy: { at: "asc" }, select: { choice: true, at: true, broadcast: { select: { number: true } } } }),
  async erase(tx, leaver) {
    await tx.broadcastAcknowledgement.deleteMany({ where: { memberId: leaver.id } });
  },
};

const clicks: MemberDataPart = {
  model: "BroadcastClick",
  key: "broadcastLinkClicks",
  about:
    "Links in announcements you opened, counted once each: which announcement, which of its links, and when you first opened it. Coordinators only ever see how many people opened a link, never who.",
  onLeave: "Deleted, with the record of the announcement it was in.",
  exportRows: (db, memberId) =>
    db.broadcastClick.findMany({
      where: { delivery: { OR: [{ memberId }, { address: { memberId } }] } },
      orderBy: { at: "asc" },
      select: { at: true, link: { select: { position: true, url: true, broadcast: { select: { number: true } } } } },
    }),
  erase: { cascade: "Delivery" },
};

/** What the bot sent a member, their answers to it and the links in it they opened, and the announcements they wrote. */
export const broadcastData: readonly MemberDataPart[] = [acknowledgements, clicks, deliveries, broadcasts, links];
