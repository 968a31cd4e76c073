import type { VerbInfo } from "../kernel/verbs.js";

export const workspaceVerbs: readonly VerbInfo[] = [
  {
    verb: "workspaces",
    usage: "workspaces",
    summary: "Every Slack workspace and Teams tenant: who's in the network, who's waiting, members and who can be reached, with buttons to approve, pause or remove one.",
    who: "coordinators",
  },
  { verb: "workspace approve", usage: "workspace approve <platform:id>", summary: "Let a workspace or tenant into the network.", who: "coordinators", hidden: true },
  { verb: "workspace pause", usage: "workspace pause <platform:id>", summary: "Pause a workspace: nothing is sent to it and its people can't use the bot.", who: "coordinators", hidden: true },
  { verb: "workspace resume", usage: "workspace resume <platform:id>", summary: "Resume a paused workspace; what was held goes out.", who: "coordinators", hidden: true },
  { verb: "workspace decline", usage: "workspace decline <platform:id>", summary: "Decline or remove a workspace; nothing more is sent to it.", who: "coordinators", hidden: true },
];
