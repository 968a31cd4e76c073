import type { Request } from "../kernel/context.js";
import type { HomeContribution } from "../kernel/feature.js";
import { buttons, text } from "../kernel/view.js";
import { dateToDay, describeDay, today } from "./days.js";
import { findRequestFor } from "./find-request.js";

/** On a home: the champion's organisation's milestone report, while it is open and not yet submitted. */
export async function reportsHome(request: Request): Promise<HomeContribution> {
  const { ctx, requester } = request;
  const coordinatorActions = requester.isCoordinator ? [{ label: "Reports", verb: "reports" }] : [];
  if (!requester.member || requester.member.role === "member" || !requester.member.organisationId) return { coordinatorActions };
  const found = await findRequestFor(request);
  if (!("request" in found) || found.request.report?.status === "submitted") return { coordinatorActions };
  const { cycle, organisation, report } = found.request;
  const due = dateToDay(cycle.dueOn);
  const when = due < today(ctx) ? `was due ${describeDay(due)}; it's still welcome` : `is due ${describeDay(due)}`;
  return {
    waiting: [
      text(`${organisation.name}'s milestone report for ${cycle.label} ${when}.${report ? " Your draft is saved." : ""}`),
      buttons({ label: report ? "Carry on with the report" : "Fill in the report", verb: "report" }),
    ],
    coordinatorActions,
  };
}
