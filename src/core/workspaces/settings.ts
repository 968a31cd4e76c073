import type { Config } from "../../config.js";
import type { CoreContext } from "../kernel/context.js";

/** Which workspaces are in the network on first sight, as the kernel's gate reads them (`ctx.workspaceGate`). */
export function workspaceSettings(config: Config): Pick<CoreContext, "workspaceGate"> {
  return {
    workspaceGate: {
      allowed: config.TI_ALLOWED_WORKSPACES,
      ...(config.MICROSOFT_APP_TENANT_ID ? { ownTenant: config.MICROSOFT_APP_TENANT_ID } : {}),
      localTeams: !config.MICROSOFT_APP_ID,
    },
  };
}
