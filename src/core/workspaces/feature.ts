import type { Feature } from "../kernel/feature.js";
import { approveWorkspace } from "./approve-workspace.js";
import { declineWorkspace } from "./decline-workspace.js";
import { listWorkspaces } from "./list-workspaces.js";
import { pauseWorkspace, resumeWorkspace } from "./pause-workspace.js";
import { workspaceSettings } from "./settings.js";
import { workspaceVerbs } from "./verbs.js";

/**
 * Which Slack workspaces and Teams tenants are in the network. The kernel's gate lets people in (or
 * tells them kindly why not) and asks the coordinators about a new one; here coordinators see them all
 * and approve, pause, resume or remove one. The settings say which are in on first sight.
 */
export const workspaces: Feature = {
  name: "workspaces",
  verbs: workspaceVerbs,
  commands: {
    workspaces: listWorkspaces,
    "workspace approve": approveWorkspace,
    "workspace pause": pauseWorkspace,
    "workspace resume": resumeWorkspace,
    "workspace decline": declineWorkspace,
  },
  forms: {},
  memberData: [],
  synonyms: { workspace: "workspaces", tenants: "workspaces" },
  settings: workspaceSettings,
};
