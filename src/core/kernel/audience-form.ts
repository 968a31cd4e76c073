import type { z } from "zod";
import { audienceGroupLabels, audienceGroups, type Audience } from "./audience.js";
import type { CoreContext } from "./context.js";
import type { FormValues } from "./interaction.js";
import { many, single } from "./form-values.js";
import { choicesOf, sectorLabels, trainingLevelLabels } from "./labels.js";
import type { Input } from "./view.js";

/** The ids of the audience inputs, as {@link audienceInputs} names them. */
export const audienceInputIds = ["who", "organisations", "sectors", "localities", "trainingLevels", "platforms"] as const;

/**
 * The inputs that choose an audience (who, then organisations, sectors, localities, training levels and
 * platforms), as the broadcast form and the event form show them; read them back with {@link readAudience}.
 *
 * @example
 * form.inputs.push(...(await audienceInputs(ctx, event.audience)));
 */
export async function audienceInputs(ctx: CoreContext, audience?: Audience): Promise<Input[]> {
  const [organisations, localities] = await Promise.all([
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ctx.prisma.organisation.findMany({
      where: { networkId: ctx.networkId, locality: { not: null } },
      distinct: ["locality"],
      orderBy: { locality: "asc" },
      select: { locality: true },
    }),
  ]);
  const inputs: Input[] = [{ type: "select", id: "who", label: "Who gets it", options: choicesOf(audienceGroupLabels, audienceGroups), value: audience?.who ?? "everyone" }];
  if (organisations.length > 0) {
    inputs.push({
      type: "multiselect",
      id: "organisations",
      label: "Only these organisations",
      optional: true,
      options: organisations.map((organisation) => ({ value: organisation.id, label: organisation.name })),
      values: audience?.organisations ?? [],
    });
  }
  inputs.push({ type: "multiselect", id: "sectors", label: "Only these sectors", optional: true, options: choicesOf(sectorLabels), values: audience?.sectors ?? [] });
  if (localities.length > 0) {
    inputs.push({
      type: "multiselect",
      id: "localities",
      label: "Only these localities",
      optional: true,
      options: localities.map(({ locality }) => ({ value: locality!, label: locality! })),
      values: audience?.localities ?? [],
    });
  }
  inputs.push(
    { type: "multiselect", id: "trainingLevels", label: "Only these training levels", optional: true, options: choicesOf(trainingLevelLabels), values: audience?.trainingLevels ?? [] },
    {
      type: "multiselect",
      id: "platforms",
      label: "Platforms",
      optional: true,
      hint: "Leave empty for both.",
      options: [
        { value: "slack", label: "Slack" },
        { value: "teams", label: "Microsoft Teams" },
      ],
      values: audience?.platforms.length === 1 ? audience.platforms : [],
    },
  );
  return inputs;
}

/** The audience inputs' values, unchecked, ready for `audienceSchema` (no platform chosen means both). */
export function readAudience(values: FormValues) {
  const platforms = many(values, "platforms");
  return {
    who: single(values, "who") ?? "everyone",
    organisations: many(values, "organisations"),
    sectors: many(values, "sectors"),
    localities: many(values, "localities"),
    trainingLevels: many(values, "trainingLevels"),
    platforms: platforms.length > 0 ? platforms : ["slack", "teams"],
  };
}

/** Moves the nested audience's problems beside the form's own audience inputs. */
export function audienceErrors(errors: Record<string, string>, error: z.ZodError): Record<string, string> {
  // The audience is nested in the schema; its problems belong beside the form's own inputs.
  for (const issue of error.issues) {
    if (issue.path[0] === "audience" && typeof issue.path[1] === "string") errors[issue.path[1]] ??= issue.message;
  }
  delete errors.audience;
  return errors;
}
