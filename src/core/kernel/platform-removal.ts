import type { Removal } from "./bot.js";
import type { CoreContext } from "./context.js";

/** Marks the addresses a platform said are gone as unreachable. Returns how many changed. */
export async function recordRemoval(ctx: CoreContext, removal: Removal): Promise<number> {
  const { count } = await ctx.prisma.address.updateMany({
    where: {
      platform: removal.platform,
      workspaceId: removal.workspaceId,
      active: true,
      ...(removal.userIds ? { userId: { in: removal.userIds } } : {}),
    },
    data: { active: false },
  });
  return count;
}
