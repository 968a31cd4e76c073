import { recordAudit } from "../kernel/audit.js";
import type { Request } from "../kernel/context.js";
import { message, type Message } from "../kernel/view.js";
import { describeWorkspace, forgetWorkspace } from "../kernel/workspace-gate.js";
import { findWorkspace, isOwnWorkspace } from "./find-workspace.js";
import { workspacesView } from "./list-workspaces.js";

/**
 * `workspace pause <platform:id>`: nothing is sent to it (the dispatcher holds its deliveries) and its
 * people can't use the bot, until it is resumed. Nothing is erased.
 */
export async function pauseWorkspace(request: Request): Promise<Message> {
  const { ctx } = request;
  const found = await findWorkspace(request);
  if ("problem" in found) return found.problem;
  const { workspace } = found;
  const described = describeWorkspace(workspace);
  if (isOwnWorkspace(request, workspace)) return message(`You're writing from ${described}, so pausing it would shut you out too. Please ask a coordinator in another workspace. Nothing was changed.`);
  if (workspace.status !== "approved") return message(`${described} isn't in the network just now (${workspace.status}), so there's nothing to pause. Nothing was changed.`);
  const changed = await ctx.prisma.workspace.updateMany({ where: { id: workspace.id, status: "approved" }, data: { status: "paused", decidedAt: ctx.now() } });
  if (changed.count === 0) return workspacesView(request, { opening: "Someone changed that workspace a moment ago; here is where things stand." });
  forgetWorkspace(ctx, workspace.platform, workspace.workspaceId);
  const held = await ctx.prisma.delivery.count({
    where: { networkId: ctx.networkId, platform: workspace.platform, workspaceId: workspace.workspaceId, status: { in: ["queued", "retrying"] } },
  });
  await recordAudit(request, { action: "workspace.pause", subject: described, detail: held > 0 ? `${held} messages held` : undefined });
  const opening = `Paused: nothing will be sent to ${described}, and its people can't use the bot, until you resume it.${held > 0 ? ` ${held} ${held === 1 ? "message" : "messages"} waiting to go there ${held === 1 ? "is" : "are"} held until then.` : ""}`;
  return { ...(await workspacesView(request, { opening })), replacesOriginal: true };
}

/** `workspace resume <platform:id>`: back in the network; what was held for it goes out now. */
export async function resumeWorkspace(request: Request): Promise<Message> {
  const { ctx } = request;
  const found = await findWorkspace(request);
  if ("problem" in found) return found.problem;
  const { workspace } = found;
  const described = describeWorkspace(workspace);
  if (workspace.status !== "paused") return message(`${described} isn't paused (${workspace.status}), so there's nothing to resume. Nothing was changed.`);
  const changed = await ctx.prisma.workspace.updateMany({ where: { id: workspace.id, status: "paused" }, data: { status: "approved", decidedAt: ctx.now() } });
  if (changed.count === 0) return workspacesView(request, { opening: "Someone changed that workspace a moment ago; here is where things stand." });
  ctx.deliveriesQueued?.();
  await recordAudit(request, { action: "workspace.resume", subject: described });
  return { ...(await workspacesView(request, { opening: `Resumed: ${described} is back in the network, and anything held for it is on its way.` })), replacesOriginal: true };
}
