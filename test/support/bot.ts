// The core on a real database, for rules that need no platform round trip (linking, roles).
import type { Bot } from "../../src/core/kernel/bot.js";
import { parseCommand } from "../../src/core/kernel/command.js";
import { features } from "../../src/core/features.js";
import { createBot } from "../../src/core/kernel/create-bot.js";
import type { Address, FormValues } from "../../src/core/kernel/interaction.js";
import { ensureNetwork } from "../../src/core/network.js";
import { describeWhen, type Form, type View } from "../../src/core/kernel/view.js";
import { coreContext } from "./core-context.js";
import { createTestDatabase, type TestDatabase } from "./database.js";

export interface TestBot {
  bot: Bot;
  db: TestDatabase;
  say(from: Address, typed: string, extra?: { mentions?: Address[]; requestId?: string }): Promise<View>;
  submit(from: Address, form: Form, values: FormValues): Promise<View>;
  /** Joins with sensible answers, adding the organisation if need be. */
  join(from: Address, answers?: FormValues): Promise<View>;
}

export async function startTestBot(options: { coordinators?: Address[] } = {}): Promise<TestBot> {
  const db = await createTestDatabase();
  const network = await ensureNetwork(db.prisma, { name: "Test network", timeZone: "Europe/London", sendingHours: "always" });
  const bot = createBot(coreContext(db, network, { coordinators: (options.coordinators ?? []).map(({ platform, userId }) => ({ platform, userId })) }), features);
  const say: TestBot["say"] = (from, typed, extra = {}) => bot.handle({ from, ...parseCommand(typed), ...extra });
  const submit: TestBot["submit"] = (from, form, values) =>
    bot.handle({ from, verb: form.verb, text: "", form: { values, context: form.context } });
  return {
    bot,
    db,
    say,
    submit,
    async join(from, answers = {}) {
      const form = expectForm(await say(from, "join"));
      const existing = await db.prisma.organisation.findFirst({ where: { name: "Riverside Housing" } });
      return submit(from, form, {
        displayName: from.displayName ?? "Sam",
        ...(existing ? { organisation: existing.id } : { newOrganisation: "Riverside Housing", sector: "housing", locality: "Kirklees" }),
        role: "champion",
        trainingLevel: "skilled",
        ...answers,
      });
    },
  };
}

export function expectForm(view: View): Form {
  if (view.type !== "form") throw new Error(`expected a form, got a message: ${view.summary}`);
  return view;
}

/** All the text a view shows, for assertions about what a person reads. */
export function viewText(view: View): string {
  if (view.type === "form") {
    return [view.title, view.problem ?? "", ...view.intro.map(blockText), ...view.inputs.map((input) => `${input.label} ${input.error ?? ""}`)].join("\n");
  }
  return [view.summary, ...view.blocks.map(blockText)].join("\n");
}

function blockText(block: import("../../src/core/kernel/view.js").Block): string {
  switch (block.type) {
    case "heading":
    case "text":
    case "formatted":
    case "context":
      return block.text;
    case "fields":
      return block.fields.map((field) => `${field.label}: ${field.value}`).join("\n");
    case "list":
      return block.items.join("\n");
    case "buttons":
      return block.buttons.map((button) => button.label).join(" ");
    case "when":
      return `${block.label}: ${describeWhen(block).text}`;
    case "chart":
      return block.alt;
    case "divider":
      return "";
  }
}
