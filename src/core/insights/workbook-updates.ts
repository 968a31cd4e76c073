import type { CoreContext } from "../kernel/context.js";
import type { Sheet, SheetCell } from "../kernel/feature.js";
import { updateKindLabels } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";

const page = 1_000;

/**
 * How many updates the sheet holds: a spreadsheet stops at 1,048,576 rows. A longer period's updates
 * end with a row saying how to get the rest (a shorter period), never silently.
 */
export const updatesSheetLimit = 1_000_000;

/**
 * The period's updates shared with the network, oldest first, read a page at a time by (createdAt, id)
 * as the file is written, so half a million updates are streamed, never held. Updates their author kept
 * on their own profile are left out.
 */
export function updatesSheet(ctx: CoreContext, period: Period, limit = updatesSheetLimit): Sheet {
  async function* rows(): AsyncGenerator<SheetCell[]> {
    let after: { createdAt: Date; id: string } | null = null;
    let written = 0;
    for (;;) {
      const updates = await ctx.prisma.update.findMany({
        where: {
          networkId: ctx.networkId,
          sharedWithNetwork: true,
          createdAt: { gte: period.from, lt: period.to },
          ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: page,
        select: {
          id: true,
          createdAt: true,
          text: true,
          kind: true,
          link: true,
          organisation: { select: { name: true } },
          author: { select: { displayName: true, leftAt: true } },
          principles: { select: { principle: { select: { name: true, position: true } } } },
        },
      });
      for (const update of updates) {
        if (written === limit) {
          yield [`More updates than a sheet holds: these are the first ${limit.toLocaleString("en-GB")}. Export a shorter period for the rest.`];
          return;
        }
        const organisation = update.organisation?.name ?? null;
        const author = update.author && !update.author.leftAt ? update.author.displayName : organisation ? `a champion from ${organisation}` : "a champion";
        const principles = update.principles.map((link) => link.principle).sort((a, b) => a.position - b.position).map((principle) => principle.name);
        yield [update.createdAt, organisation, author, principles.join(", "), update.kind ? updateKindLabels[update.kind] : null, update.link, update.text];
        written++;
      }
      if (updates.length < page) return;
      const last: { createdAt: Date; id: string } = updates.at(-1)!;
      after = { createdAt: last.createdAt, id: last.id };
    }
  }
  return {
    name: "Updates",
    columns: [
      { header: "Date", type: "time", width: 18 },
      { header: "Organisation", width: 30 },
      { header: "Author", width: 26 },
      { header: "Principles", width: 30 },
      { header: "Kind", width: 20 },
      { header: "Link", width: 30 },
      { header: "Update", width: 90 },
    ],
    rows: rows(),
  };
}
