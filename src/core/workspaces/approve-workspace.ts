import { Prisma, type Workspace } from "../../db/generated/client.js";
import { recordAudit } from "../kernel/audit.js";
import type { CoreContext, Request } from "../kernel/context.js";
import { people } from "../kernel/labels.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { buttons, message, note, text, type Message } from "../kernel/view.js";
import { describeWorkspace } from "../kernel/workspace-gate.js";
import { findWorkspace } from "./find-workspace.js";
import { workspacesView } from "./list-workspaces.js";

/**
 * `workspace approve <platform:id>` (Approve, on the coordinators' message or in `workspaces`): its
 * people can join. Those who tried while it was waiting are told, once. A paused one is resumed; one
 * removed before starts afresh: what was queued for it while it was out of the network is cancelled.
 */
export async function approveWorkspace(request: Request): Promise<Message> {
  const { ctx } = request;
  const found = await findWorkspace(request);
  if ("problem" in found) return found.problem;
  const { workspace } = found;
  const described = describeWorkspace(workspace);
  if (workspace.status === "approved") return message(`${described} is already in the network. Nothing was changed.`);
  const changed = await ctx.prisma.workspace.updateMany({ where: { id: workspace.id, status: workspace.status }, data: { status: "approved", decidedAt: ctx.now() } });
  if (changed.count === 0) return workspacesView(request, { opening: "Someone changed that workspace a moment ago; here is where things stand." });
  if (workspace.status === "declined") {
    await ctx.prisma.delivery.updateMany({
      where: { networkId: ctx.networkId, platform: workspace.platform, workspaceId: workspace.workspaceId, status: { in: ["queued", "retrying"] } },
      data: { status: "cancelled", lastError: "queued while the workspace was out of the network", updatedAt: ctx.now() },
    });
  }
  if (workspace.status === "paused") ctx.deliveriesQueued?.();
  await recordAudit(request, { action: "workspace.approve", subject: described, detail: `was ${workspace.status}` });
  const told = workspace.status === "paused" ? 0 : await tellThoseWhoTried(ctx, workspace);
  const opening = `Approved: ${described} is in the network now, and its people can join.${told > 0 ? ` I'll let the ${people(told)} who tried know.` : ""}`;
  return { ...(await workspacesView(request, { opening })), replacesOriginal: true };
}

/** Everyone who wrote from the workspace while it was waiting (an address, no member): one message each. */
async function tellThoseWhoTried(ctx: CoreContext, workspace: Workspace): Promise<number> {
  const reply = `Good news: ${workspace.platform === "slack" ? "this workspace" : "your organisation's Teams"} is now connected to ${ctx.networkName}. You're welcome to join.`;
  return queueDeliveries(ctx, {
    purposeKey: `workspace-approved:${workspace.id}`,
    view: message(
      reply,
      text(reply),
      buttons({ label: "Join the network", verb: "join", style: "primary" }, { label: "What can you do?", verb: "help" }),
      note("You get this because you tried to use the bot before it was connected. Nothing more will come unless you join."),
    ),
    recipients: Prisma.sql`
      SELECT NULL::text AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
      FROM "Address" a
      WHERE a."platform" = ${workspace.platform}::"Platform" AND a."workspaceId" = ${workspace.workspaceId} AND a."memberId" IS NULL AND a."active"`,
    respectQuietHours: true,
  });
}
