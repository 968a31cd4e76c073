import { Prisma } from "../../db/generated/client.js";
import { acknowledgedShareByBroadcast, broadcastScopeConditions, type BroadcastFigureScope } from "../broadcasts/acknowledgement-figures.js";
import { clickedShareByBroadcast } from "../broadcasts/click-figures.js";
import { pulseSettings } from "../pulses/settings.js";
import { count, organisationsInScope, percent, type SectionFigures } from "./section.js";

/**
 * Broadcasts sent in the period: how many, how many messages arrived, and of those that asked for an
 * acknowledgement or had links, the share acknowledged and the share who clicked one. A broadcast that
 * reached fewer than the minimum group gives no share. With the dashboard's filters, only the members of
 * the organisations they pick count, and a broadcast counts as sent when it reached one of them.
 */
export const announcementFigures: SectionFigures = async (ctx, period, scope) => {
  const organisationIds = await organisationsInScope(ctx, scope);
  const range: BroadcastFigureScope = { since: period.from, until: period.to, ...(organisationIds ? { organisationIds } : {}) };
  const [[totals], acknowledged, clicked] = await Promise.all([
    ctx.prisma.$queryRaw<{ sent: number; delivered: number; asked: number; linked: number }[]>`
      SELECT count(DISTINCT b."id")::int AS "sent", count(d."id")::int AS "delivered",
             count(DISTINCT b."id") FILTER (WHERE cardinality(b."ackChoices") > 0)::int AS "asked",
             count(DISTINCT b."id") FILTER (WHERE EXISTS (SELECT 1 FROM "BroadcastLink" l WHERE l."broadcastId" = b."id"))::int AS "linked"
      FROM "Broadcast" b
      LEFT JOIN "Delivery" d ON d."broadcastId" = b."id" AND d."purposeKey" = 'broadcast:' || b."number" AND d."status" = 'sent'
      WHERE ${Prisma.join(broadcastScopeConditions(ctx, range), " AND ")}`,
    acknowledgedShareByBroadcast(ctx, range),
    clickedShareByBroadcast(ctx, range),
  ]);
  const { sent, delivered, asked, linked } = totals ?? { sent: 0, delivered: 0, asked: 0, linked: 0 };
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
  const tooFew = `not shown (fewer than ${minimum} people)`;
  return {
    key: "announcements",
    title: "Announcements",
    headline: [
      { label: "Broadcasts sent", value: count(sent) },
      { label: "Messages delivered", value: count(delivered) },
      { label: "Acknowledged", value: asked === 0 ? "none asked for" : ackReached === 0 ? tooFew : `${count(ackGiven)} of ${count(ackReached)} (${percent(ackGiven, ackReached)})` },
      { label: "Clicked a link", value: linked === 0 ? "no links" : clickReached === 0 ? tooFew : `${count(clickers)} of ${count(clickReached)} (${percent(clickers, clickReached)})` },
    ],
    charts: [],
    lines,
    note:
      `Shares count only broadcasts that reached at least ${minimum} people${organisationIds ? " in the organisations chosen" : ""}, and clicks are never shown per person.` +
      (scope?.principleId ? " Announcements aren't tagged with principles, so the principle chosen doesn't narrow them." : ""),
  };
};
