import { Prisma } from "../../db/generated/client.js";
import { recordAudit } from "../kernel/audit.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { withSubmission } from "../kernel/form-values.js";
import { trainingLevelLabels } from "../kernel/labels.js";
import { buttons, message, note, text, type Block, type View } from "../kernel/view.js";
import { findResource, loadResource, type StoredResource } from "./find-resource.js";
import { readResourceForm, resourceForm, type ResourceAnswers } from "./resource-form.js";
import { resourceInclude, resourceKindLabels, resourceLine, toResourceView, type ResourceView } from "./resource-labels.js";

/** `resource add`: the resource form. */
export async function newResourceForm({ ctx }: Request): Promise<View> {
  return resourceForm(ctx);
}

/** `resource edit 3`: the resource form, prefilled. */
export async function editResource(request: Request): Promise<View> {
  const found = await findResource(request, "resource edit");
  if ("problem" in found) return found.problem;
  const { resource } = found;
  if (resource.retiredAt) return message(`Resource #${resource.number} is retired, so it can't be changed. Add it again with ${command(request.requester.address.platform, "resource add")} if it's back.`);
  return resourceForm(request.ctx, { ...resource, principleIds: resource.principles.map((tag) => tag.principle.id) });
}

/** The resource form came back: a new resource (offered for announcing), or changes to one in the library. */
export async function submitResourceForm(request: Request): Promise<View> {
  const { ctx, interaction, requester } = request;
  const values = interaction.form?.values ?? {};
  const named = interaction.form?.context.resource;
  const number = Number(named);
  const existing = named && Number.isInteger(number) && number > 0 ? await loadResource(ctx, number) : null;
  if (named && (!existing || existing.retiredAt)) return message("Sorry, that resource isn't in the library any more, so nothing was changed.");
  const form = await resourceForm(ctx, existing ? { ...existing, principleIds: existing.principles.map((tag) => tag.principle.id) } : undefined);
  const read = readResourceForm(form, values);
  if ("errors" in read) return withSubmission(form, values, read.errors);
  const saved = toResourceView(existing ? await updateResource(ctx, existing, read.answers) : await createResource(ctx, read.answers));
  await recordAudit(request, { action: existing ? "training.resource.edit" : "training.resource.add", subject: `resource #${saved.number}`, detail: saved.title });
  const platform = requester.address.platform;
  const summary = existing ? `Resource #${saved.number} is saved.` : `Resource #${saved.number} is in the library.`;
  const blocks: Block[] = [text(summary), { type: "list", items: [resourceLine(saved)] }];
  if (!existing) {
    blocks.push(
      text("Would you like to announce it? You'll choose who gets it and see a preview before anything is sent."),
      buttons({ label: "Announce it", verb: "broadcast", text: announcement(ctx, saved) }),
    );
  }
  blocks.push(note(`Everyone who has joined finds it with ${command(platform, "resources")}. Change it with ${command(platform, `resource edit ${saved.number}`)}.`));
  return message(summary, ...blocks);
}

/** The broadcast a new resource is announced with, in the broadcast's light formatting. */
function announcement(ctx: Pick<CoreContext, "networkName">, resource: ResourceView): string {
  const plain = (value: string) => value.replace(/[*_[\]()]/g, "");
  const level = resource.level ? `, for ${trainingLevelLabels[resource.level]} level` : "";
  const principles = resource.principles.length > 0 ? ` It helps with ${resource.principles.join(", ")}.` : "";
  return [
    `New in ${plain(ctx.networkName)}'s resource library: **${plain(resource.title)}** (${resourceKindLabels[resource.kind].toLowerCase()}${level}).${principles}`,
    "",
    `[Open it](${resource.link.replace(/\(/g, "%28").replace(/\)/g, "%29")})`,
    "",
    "Send resources to the bot to see the whole library.",
  ].join("\n");
}

async function updateResource(ctx: CoreContext, existing: StoredResource, answers: ResourceAnswers) {
  const { principleIds, ...fields } = answers;
  return ctx.prisma.$transaction(async (tx) => {
    await tx.trainingResourcePrinciple.deleteMany({ where: { resourceId: existing.id } });
    return tx.trainingResource.update({
      where: { id: existing.id },
      data: { ...fields, principles: { create: principleIds.map((principleId) => ({ principleId })) } },
      include: resourceInclude,
    });
  });
}

/** Numbers count up within the network; two coordinators adding at once both get one (the second tries again). */
async function createResource(ctx: CoreContext, answers: ResourceAnswers) {
  const { principleIds, ...fields } = answers;
  for (let attempt = 0; ; attempt++) {
    const last = await ctx.prisma.trainingResource.aggregate({ where: { networkId: ctx.networkId }, _max: { number: true } });
    try {
      return await ctx.prisma.trainingResource.create({
        data: {
          networkId: ctx.networkId,
          number: (last._max.number ?? 0) + 1,
          ...fields,
          createdAt: ctx.now(),
          principles: { create: principleIds.map((principleId) => ({ principleId })) },
        },
        include: resourceInclude,
      });
    } catch (error) {
      if (attempt < 5 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
}
