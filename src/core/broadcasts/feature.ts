import type { Feature } from "../kernel/feature.js";
import { acknowledgeBroadcast } from "./acknowledge-broadcast.js";
import { showBroadcastStatus } from "./broadcast-status.js";
import { cancelBroadcast } from "./cancel-broadcast.js";
import { startBroadcast, submitBroadcastForm } from "./compose-broadcast.js";
import { exportBroadcast, recipientsFile } from "./export-broadcast.js";
import { listUnreachable } from "./list-unreachable.js";
import { broadcastData } from "./member-data.js";
import { remindBroadcast } from "./remind-broadcast.js";
import { resumeBroadcastReminders, stopBroadcastReminders } from "./reminder-opt-out.js";
import { discardBroadcast, editBroadcast, sendBroadcast } from "./send-broadcast.js";
import { broadcastVerbs } from "./verbs.js";

/**
 * Coordinators' announcements: compose, preview, send within each platform's limits, follow and export;
 * acknowledgements asked for with a broadcast, and one reminder to those who haven't given one.
 */
export const broadcasts: Feature = {
  name: "broadcasts",
  verbs: broadcastVerbs,
  commands: {
    broadcast: startBroadcast,
    "broadcast status": showBroadcastStatus,
    "broadcast cancel": cancelBroadcast,
    "broadcast export": exportBroadcast,
    "broadcast send": sendBroadcast,
    "broadcast edit": editBroadcast,
    "broadcast discard": discardBroadcast,
    "broadcast remind": remindBroadcast,
    "broadcast ack": acknowledgeBroadcast,
    "reminders stop": stopBroadcastReminders,
    "reminders resume": resumeBroadcastReminders,
    unreachable: listUnreachable,
  },
  forms: { broadcast: { who: "coordinators", submit: submitBroadcastForm } },
  memberData: broadcastData,
  downloads: [recipientsFile],
  home: async ({ requester }) => (requester.isCoordinator ? { coordinatorActions: [{ label: "New broadcast", verb: "broadcast" }] } : {}),
};
