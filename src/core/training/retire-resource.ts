import { recordAudit } from "../kernel/audit.js";
import { command, type Request } from "../kernel/context.js";
import { message, note, text, type View } from "../kernel/view.js";
import { findResource } from "./find-resource.js";

/** `resource retire 3`: the resource leaves the library; its number is never given to another. */
export async function retireResource(request: Request): Promise<View> {
  const found = await findResource(request, "resource retire");
  if ("problem" in found) return found.problem;
  const { resource } = found;
  if (resource.retiredAt) return message(`Resource #${resource.number}, ${resource.title}, is already retired. Nothing was changed.`);
  await request.ctx.prisma.trainingResource.update({ where: { id: resource.id }, data: { retiredAt: request.ctx.now() } });
  await recordAudit(request, { action: "training.resource.retire", subject: `resource #${resource.number}`, detail: resource.title });
  const summary = `Resource #${resource.number}, ${resource.title}, is retired.`;
  return message(summary, text(`${summary} It no longer shows in the library.`), note(`${command(request.requester.address.platform, "resources")} shows the library now.`));
}
