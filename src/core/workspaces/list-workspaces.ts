import type { CoreContext, Request } from "../kernel/context.js";
import type { Platform } from "../kernel/interaction.js";
import { formatDate } from "../kernel/labels.js";
import { buttons, heading, message, note, text, type Block, type Button, type Message } from "../kernel/view.js";
import { describeWorkspace, workspaceKey, type WorkspaceStatus } from "../kernel/workspace-gate.js";

/** Two blocks a workspace: twenty keep a page well inside Slack's fifty blocks a message. */
const perPage = 20;

/** One workspace as coordinators see it, with its people counted. */
export interface WorkspaceSummary {
  platform: Platform;
  workspaceId: string;
  name: string | null;
  status: WorkspaceStatus;
  firstSeenAt: Date;
  decidedAt: Date | null;
  /** Current members with an address there. */
  members: number;
  /** Of those, members whose address there is active (the platform hasn't said they're gone). */
  reachable: number;
  /** People who wrote from there and haven't joined. */
  notJoined: number;
}

const statusOrder: readonly WorkspaceStatus[] = ["pending", "paused", "approved", "declined"];

const statusWords: Record<WorkspaceStatus, string> = {
  pending: "waiting for a decision",
  approved: "in the network",
  paused: "paused",
  declined: "not in the network",
};

/** Every workspace of the network, those waiting for a decision first, counted in one query. */
export async function loadWorkspaces(ctx: CoreContext): Promise<WorkspaceSummary[]> {
  const rows = await ctx.prisma.$queryRaw<WorkspaceSummary[]>`
    SELECT w."platform"::text AS "platform", w."workspaceId", w."name", w."status"::text AS "status", w."firstSeenAt", w."decidedAt",
           count(DISTINCT m."id")::int AS "members",
           count(DISTINCT m."id") FILTER (WHERE a."active")::int AS "reachable",
           count(a."id") FILTER (WHERE a."memberId" IS NULL)::int AS "notJoined"
    FROM "Workspace" w
    LEFT JOIN "Address" a ON a."platform" = w."platform" AND a."workspaceId" = w."workspaceId"
    LEFT JOIN "Member" m ON m."id" = a."memberId" AND m."leftAt" IS NULL AND m."networkId" = w."networkId"
    WHERE w."networkId" = ${ctx.networkId}
    GROUP BY w."id"
    ORDER BY w."firstSeenAt", w."id"`;
  return rows.sort((a, b) => statusOrder.indexOf(a.status) - statusOrder.indexOf(b.status));
}

/** `workspaces [page]`: every Slack workspace and Teams tenant, with what a coordinator can do about each. */
export async function listWorkspaces(request: Request): Promise<Message> {
  const page = Number(/^\d{1,4}$/.exec(request.interaction.text.trim())?.[0] ?? 1);
  return workspacesView(request, { page });
}

/** The list, with a line on top saying what was just done (after a button), on the page asked for. */
export async function workspacesView({ ctx, requester }: Request, { page = 1, opening }: { page?: number; opening?: string }): Promise<Message> {
  const all = await loadWorkspaces(ctx);
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  const shown = Math.min(Math.max(1, page), pages);
  const counts = statusOrder.filter((status) => all.some((workspace) => workspace.status === status)).map((status) => `${all.filter((workspace) => workspace.status === status).length} ${statusWords[status]}`);
  const summary = all.length === 0 ? "No workspaces yet." : `${all.length} ${all.length === 1 ? "workspace" : "workspaces"}: ${counts.join(", ")}.`;
  const blocks: Block[] = [heading("Workspaces and tenants"), ...(opening ? [text(opening)] : []), text(summary)];
  for (const workspace of all.slice((shown - 1) * perPage, shown * perPage)) {
    blocks.push(text(describeLine(ctx, workspace)));
    const own = requester.address.platform === workspace.platform && requester.address.workspaceId === workspace.workspaceId;
    const offered = actionsFor(workspace, own);
    if (offered.length > 0) blocks.push(buttons(...offered));
  }
  if (pages > 1) {
    const around: Button[] = [];
    if (shown > 1) around.push({ label: "Previous", verb: "workspaces", text: String(shown - 1) });
    if (shown < pages) around.push({ label: "Next", verb: "workspaces", text: String(shown + 1) });
    blocks.push(note(`Page ${shown} of ${pages}.`), buttons(...around));
  }
  blocks.push(
    note(
      "Pausing one holds everything for it until you resume it, and its people can't use the bot meanwhile. Removing one cancels what hasn't been sent to it. Neither erases anything: members keep their profiles and updates.",
    ),
  );
  return message(opening ? `${opening} ${summary}` : `Workspaces: ${summary}`, ...blocks);
}

function describeLine(ctx: Pick<CoreContext, "timeZone">, workspace: WorkspaceSummary): string {
  const day = (date: Date) => formatDate(date, ctx.timeZone);
  const since = workspace.decidedAt && workspace.status !== "pending" ? `, ${workspace.status === "approved" ? "approved" : workspace.status} ${day(workspace.decidedAt)}` : "";
  const people =
    workspace.status === "pending"
      ? `${workspace.notJoined === 1 ? "1 person has" : `${workspace.notJoined} people have`} tried to use the bot from it.`
      : `${count(workspace.members, "member")}, ${workspace.reachable} reachable.`;
  return `${describeWorkspace(workspace)}: ${statusWords[workspace.status]}${since} (first seen ${day(workspace.firstSeenAt)}). ${people}`;
}

/** What can be done next; never pausing or removing the workspace the coordinator is writing from. */
function actionsFor(workspace: WorkspaceSummary, own: boolean): Button[] {
  const key = workspaceKey(workspace);
  switch (workspace.status) {
    case "pending":
      return [
        { label: "Approve", verb: "workspace approve", text: key, style: "primary" },
        { label: "Decline", verb: "workspace decline", text: key, style: "danger" },
      ];
    case "approved":
      return own ? [] : [{ label: "Pause", verb: "workspace pause", text: key }, { label: "Remove", verb: "workspace decline", text: key, style: "danger" }];
    case "paused":
      return [{ label: "Resume", verb: "workspace resume", text: key, style: "primary" }, ...(own ? [] : [{ label: "Remove", verb: "workspace decline", text: key, style: "danger" as const }])];
    case "declined":
      return [{ label: "Approve", verb: "workspace approve", text: key }];
  }
}

function count(value: number, noun: string): string {
  return `${value.toLocaleString("en-GB")} ${value === 1 ? noun : `${noun}s`}`;
}
