import { z } from "zod";
import type { Workspace } from "../../db/generated/client.js";
import type { Request } from "../kernel/context.js";
import { message, type Message } from "../kernel/view.js";

/** What a button (or a coordinator typing) names a workspace by: `slack:T0123ABCD`, `teams:<tenant id>`. */
const workspaceKeySchema = z
  .string()
  .trim()
  .regex(/^(slack|teams):(\S{1,200})$/)
  .transform((key) => {
    const colon = key.indexOf(":");
    return { platform: key.slice(0, colon) as "slack" | "teams", workspaceId: key.slice(colon + 1) };
  });

/**
 * The workspace a button names. What a button carries comes back from the client, so it is only a key
 * to look up in this network; who may act on it was checked by the kernel before this runs.
 */
export async function findWorkspace({ ctx, interaction }: Request): Promise<{ workspace: Workspace } | { problem: Message }> {
  const key = workspaceKeySchema.safeParse(interaction.text);
  const workspace = key.success
    ? await ctx.prisma.workspace.findFirst({ where: { networkId: ctx.networkId, platform: key.data.platform, workspaceId: key.data.workspaceId } })
    : null;
  if (!workspace) {
    const reply = "I can't find that workspace. The workspaces command lists every one, with its buttons.";
    return { problem: message(reply) };
  }
  return { workspace };
}

/** Whether the coordinator is writing from this workspace: pausing or removing it would shut them out. */
export function isOwnWorkspace({ requester }: Request, workspace: Workspace): boolean {
  return requester.address.platform === workspace.platform && requester.address.workspaceId === workspace.workspaceId;
}
