import { z } from "zod";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { message, type Message } from "../kernel/view.js";
import { resourceInclude } from "./resource-labels.js";

const numberSchema = z.coerce.number().int().min(1).max(999_999_999);

/** The network's resource numbered `number`, retired or not, with its principles; null when there is none. */
export async function loadResource(ctx: CoreContext, number: number) {
  return ctx.prisma.trainingResource.findUnique({ where: { networkId_number: { networkId: ctx.networkId, number } }, include: resourceInclude });
}

export type StoredResource = NonNullable<Awaited<ReturnType<typeof loadResource>>>;

/** The resource named by what was typed (`resource edit 3`), or a kind answer saying what to type. */
export async function findResource(request: Request, verb: string): Promise<{ resource: StoredResource } | { problem: Message }> {
  const [first] = request.interaction.text.trim().replace(/^#/, "").split(/\s+/);
  const parsed = numberSchema.safeParse(first);
  const platform = request.requester.address.platform;
  if (!first || !parsed.success) {
    return { problem: message(`Please say which resource, like ${command(platform, `${verb} 3`)}. ${command(platform, "resources")} lists them with their numbers.`) };
  }
  const resource = await loadResource(request.ctx, parsed.data);
  if (!resource) return { problem: message(`I can't find resource #${parsed.data}. ${command(platform, "resources")} lists the library.`) };
  return { resource };
}
