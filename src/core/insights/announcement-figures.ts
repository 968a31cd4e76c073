import { acknowledgedShareByBroadcast } from "../broadcasts/acknowledgement-figures.js";
import { clickedShareByBroadcast } from "../broadcasts/click-figures.js";
import { pulseSettings } from "../pulses/settings.js";
import { count, percent, type SectionFigures } from "./section.js";

/**
 * Broadcasts sent in the period: how many, how many messages arrived, and of those that asked for an
 * acknowledgement or had links, the share acknowledged and the share who clicked one. A broadcast that
 * reached fewer than the minimum group gives no share. Counted across the whole network: a scope's
 * filters don't apply, and the note says so.
 */
export const announcementFigures: SectionFigures = async (ctx, period, scope) => {
  const range = { since: period.from, until: period.to };
  const [sent, delivered, acknowledged, clicked] = await Promise.all([
    ctx.prisma.broadcast.count({ where: { networkId: ctx.networkId, queuedAt: { gte: period.from, lt: period.to } } }),
    ctx.prisma.delivery.count({
      where: { status: "sent", broadcast: { networkId: ctx.networkId, queuedAt: { gte: period.from, lt: period.to } } },
    }),
    acknowledgedShareByBroadcast(ctx, range),
    clickedShareByBroadcast(ctx, range),
  ]);
  const sum = <T>(rows: readonly T[], value: (row: T) => number) => rows.reduce((total, row) => total + value(row), 0);
  const ackReached = sum(acknowledged, (row) => row.delivered);
  const ackGiven = sum(acknowledged, (row) => row.acknowledged);
  const clickReached = sum(clicked, (row) => row.delivered);
  const clickers = sum(clicked, (row) => row.clicked);
  const numbers = [...new Set([...acknowledged, ...clicked].map((row) => row.number))].sort((a, b) => a - b);
  const lines = numbers.map((number) => {
    const ack = acknowledged.find((row) => row.number === number);
    const click = clicked.find((row) => row.number === number);
    const parts = [
      ...(ack ? [`acknowledged by ${count(ack.acknowledged)} of ${count(ack.delivered)} (${percent(ack.acknowledged, ack.delivered)})`] : []),
      ...(click ? [`a link clicked by ${count(click.clicked)} of ${count(click.delivered)} (${percent(click.clicked, click.delivered)})`] : []),
    ];
    return `Broadcast #${number}: ${parts.join("; ")}`;
  });
  const minimum = pulseSettings(ctx).minimumGroup;
  return {
    key: "announcements",
    title: "Announcements",
    headline: [
      { label: "Broadcasts sent", value: count(sent) },
      { label: "Messages delivered", value: count(delivered) },
      { label: "Acknowledged", value: ackReached === 0 ? "none asked for" : `${count(ackGiven)} of ${count(ackReached)} (${percent(ackGiven, ackReached)})` },
      { label: "Clicked a link", value: clickReached === 0 ? "no links" : `${count(clickers)} of ${count(clickReached)} (${percent(clickers, clickReached)})` },
    ],
    charts: [],
    lines,
    note:
      `Shares count only broadcasts that reached at least ${minimum} people, and clicks are never shown per person.` +
      (scope && Object.values(scope).some((value) => value !== undefined) ? " These figures are for the whole network: the filters don't apply to them." : ""),
  };
};
