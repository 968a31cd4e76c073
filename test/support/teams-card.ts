// Reading the Adaptive Cards the bot sends, as a person (or Teams) would: text, inputs, errors, and
// what pressing the submit button sends back.
import type { AdaptiveCard, CardElement } from "../../adapters/teams/render.js";
import type { ConnectorCall } from "./fake-connector.js";

/** The Adaptive Card a connector call carried; throws if it carried none. */
export function cardOf(call: ConnectorCall): AdaptiveCard {
  const attachment = call.activity.attachments?.[0];
  if (attachment?.contentType !== "application/vnd.microsoft.card.adaptive") throw new Error(`expected an Adaptive Card, got ${JSON.stringify(call.activity).slice(0, 200)}`);
  return attachment.content as unknown as AdaptiveCard;
}

/** Every element of the card, its actions and their nested cards, in order. */
export function cardElements(card: AdaptiveCard): CardElement[] {
  const walk = (list: CardElement[]): CardElement[] => list.flatMap((element) => [element, ...walk((element.actions as CardElement[]) ?? [])]);
  return walk([...card.body, ...(card.actions ?? [])]);
}

/** What the card says, with markdown escapes removed, for asserting on what a person reads. */
export function cardText(card: AdaptiveCard): string {
  return cardElements(card)
    .flatMap((element) => {
      if (element.type === "TextBlock") return [String(element.text)];
      if (element.type === "FactSet") return (element.facts as { title: string; value: string }[]).map((fact) => `${fact.title}: ${fact.value}`);
      return [];
    })
    .join("\n")
    .replace(/\\(.)/g, "$1");
}

export function cardInputs(card: AdaptiveCard): CardElement[] {
  return card.body.filter((element) => element.type.startsWith("Input."));
}

/** The error shown under each input (an Attention TextBlock right after it), by input id. */
export function errorsUnder(card: AdaptiveCard): Record<string, string> {
  const errors: Record<string, string> = {};
  card.body.forEach((element, index) => {
    const next = card.body[index + 1];
    if (element.type.startsWith("Input.") && next?.type === "TextBlock" && next.color === "Attention") errors[String(element.id)] = String(next.text);
  });
  return errors;
}

/** What Teams sends when the card's submit is pressed: its data, and every input (untouched ones as shown). */
export function cardSubmission(card: AdaptiveCard, answers: Record<string, string>): Record<string, unknown> {
  const submit = card.actions?.find((action) => action.type === "Action.Submit");
  if (!submit) throw new Error("the card has no submit action");
  const values = Object.fromEntries(cardInputs(card).map((input) => [String(input.id), answers[String(input.id)] ?? String(input.value ?? "")]));
  return { ...(submit.data as Record<string, unknown>), ...values };
}
