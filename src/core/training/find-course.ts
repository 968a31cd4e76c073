import { z } from "zod";
import type { TrainingCourse } from "../../db/generated/client.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { message, type Message } from "../kernel/view.js";

const numberSchema = z.coerce.number().int().min(1).max(999_999_999);

/** The network's course numbered `number`, retired or not; null when there is none. */
export async function loadCourse(ctx: CoreContext, number: number): Promise<TrainingCourse | null> {
  return ctx.prisma.trainingCourse.findUnique({ where: { networkId_number: { networkId: ctx.networkId, number } } });
}

/** The course named by what was typed (`training edit 3`), or a kind answer saying what to type. */
export async function findCourse(request: Request, verb: string): Promise<{ course: TrainingCourse } | { problem: Message }> {
  const [first] = request.interaction.text.trim().replace(/^#/, "").split(/\s+/);
  const parsed = numberSchema.safeParse(first);
  const platform = request.requester.address.platform;
  if (!first || !parsed.success) {
    return { problem: message(`Please say which course, like ${command(platform, `${verb} 3`)}. ${command(platform, "training")} lists them with their numbers.`) };
  }
  const course = await loadCourse(request.ctx, parsed.data);
  if (!course) return { problem: message(`I can't find course #${parsed.data}. ${command(platform, "training")} lists the courses on offer.`) };
  return { course };
}
