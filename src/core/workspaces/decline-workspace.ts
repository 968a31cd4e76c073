import { recordAudit } from "../kernel/audit.js";
import type { Request } from "../kernel/context.js";
import { message, type Message } from "../kernel/view.js";
import { describeWorkspace, forgetWorkspace } from "../kernel/workspace-gate.js";
import { findWorkspace, isOwnWorkspace } from "./find-workspace.js";
import { workspacesView } from "./list-workspaces.js";

/**
 * `workspace decline <platform:id>`: a waiting workspace is declined, or one in the network removed.
 * Nothing more is sent to it (what hasn't gone is cancelled) and its people can't use the bot. Nothing
 * else is erased, so approving it again later brings its members back as they were.
 */
export async function declineWorkspace(request: Request): Promise<Message> {
  const { ctx } = request;
  const found = await findWorkspace(request);
  if ("problem" in found) return found.problem;
  const { workspace } = found;
  const described = describeWorkspace(workspace);
  if (workspace.status === "declined") return message(`${described} is already out of the network. Nothing was changed.`);
  if (isOwnWorkspace(request, workspace)) return message(`You're writing from ${described}, so removing it would shut you out too. Please ask a coordinator in another workspace. Nothing was changed.`);
  const changed = await ctx.prisma.workspace.updateMany({ where: { id: workspace.id, status: workspace.status }, data: { status: "declined", decidedAt: ctx.now() } });
  if (changed.count === 0) return workspacesView(request, { opening: "Someone changed that workspace a moment ago; here is where things stand." });
  forgetWorkspace(ctx, workspace.platform, workspace.workspaceId);
  const cancelled = await ctx.prisma.delivery.updateMany({
    where: { networkId: ctx.networkId, platform: workspace.platform, workspaceId: workspace.workspaceId, status: { in: ["queued", "retrying"] } },
    data: { status: "cancelled", lastError: "the workspace was removed from the network", updatedAt: ctx.now() },
  });
  const removed = workspace.status !== "pending";
  await recordAudit(request, {
    action: removed ? "workspace.remove" : "workspace.decline",
    subject: described,
    detail: `was ${workspace.status}${cancelled.count > 0 ? `; ${cancelled.count} messages not sent` : ""}`,
  });
  const opening = removed
    ? `Removed: ${described} is out of the network.${cancelled.count > 0 ? ` ${cancelled.count} ${cancelled.count === 1 ? "message" : "messages"} not yet sent there won't be.` : ""} Its members' profiles and updates are kept; approve it again to bring them back.`
    : `Declined: ${described} isn't part of the network. Its people are told so kindly if they write, and nothing of theirs is kept beyond their id and name.`;
  return { ...(await workspacesView(request, { opening })), replacesOriginal: true };
}
