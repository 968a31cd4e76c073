import type { Address, Interaction } from "./interaction.js";
import type { Message, View } from "./view.js";

/**
 * The core as the adapters see it. Both methods resolve to what to show the person; they reject only
 * on infrastructure failure (the database is down), never for anything a person typed.
 */
export interface Bot {
  /** Handles a typed command, a pressed button or a submitted form. */
  handle(interaction: Interaction): Promise<View>;
  /** Records an address the platform told us about (a Teams install) and returns a welcome to send. */
  welcome(address: Address): Promise<View>;
  /**
   * An answer the platform would not take just now (Slack's Web API or Teams' connector still failing
   * after their own retries): the delivery engine sends it as soon as it can, once per request.
   */
  answerLater(to: Address, view: Message, requestId?: string): Promise<void>;
  /** Records an address (refreshing its conversation reference) without answering. */
  seen(address: Address): Promise<void>;
  /**
   * The platform said someone, or a whole installation, is gone: a Teams uninstall, Slack's
   * `app_uninstalled` or `tokens_revoked`. Their addresses are marked unreachable; nothing is deleted.
   */
  removed(removal: Removal): Promise<void>;
  /**
   * A whole workspace installed the bot (Slack's "Add to Slack" finished): it is recorded and, unless
   * it is already approved or allowed, the coordinators are asked whether it joins the network.
   */
  installed(workspace: InstalledWorkspace): Promise<void>;
}

/** A Slack workspace (or Enterprise Grid org) or Teams tenant that installed the bot. */
export interface InstalledWorkspace {
  platform: Address["platform"];
  workspaceId: string;
  name?: string;
}

/** Who is gone: one person (`userIds`), or everyone in a workspace or tenant (no `userIds`). */
export interface Removal {
  platform: Address["platform"];
  workspaceId: string;
  userIds?: string[];
}
