import type { Interaction } from "./interaction.js";
import { buttons, message, text, type Block, type Message } from "./view.js";

const sorry = "Sorry, something went wrong on our side; nothing you typed was lost.";

/**
 * What the core says to someone sending commands faster than anyone types them: nothing was done, and
 * what they sent is given back, so nothing is lost.
 */
export function slowDown(typed: string): Message {
  const reply = "You're going a little faster than I can keep up with, so I haven't done that one. Please wait a minute, then send it again.";
  return message("Please slow down a little", text(reply), ...(typed ? [text(`You sent: ${typed}`)] : []));
}

/**
 * What an adapter says when the core could not answer (the database is down): sorry, and what the
 * person typed or chose, so they can send it again.
 *
 * @example
 * somethingWentWrong(interaction, { typed: "/ti update Ran a workshop" });
 * somethingWentWrong(pressedButton, { retry: true }); // offers a "Try again" button
 */
export function somethingWentWrong(interaction: Interaction, options: { typed?: string; retry?: boolean } = {}): Message {
  const given = interaction.form
    ? Object.values(interaction.form.values).flatMap((value) => value ?? []).filter((value) => value.trim() !== "")
    : interaction.text
      ? [options.typed ?? `${interaction.verb} ${interaction.text}`]
      : [];
  const blocks: Block[] =
    given.length === 0
      ? [text(`${sorry} Please try again in a few minutes.`)]
      : [
          text(`${sorry} Here it is, so you can send it again in a few minutes:`),
          interaction.form ? { type: "list", items: given } : text(given[0]!),
        ];
  if (options.retry) blocks.push(buttons({ label: "Try again", verb: interaction.verb, text: interaction.text }));
  return message("Sorry, something went wrong on our side", ...blocks);
}

/**
 * Offered when a platform would not show a form in time (Slack's trigger expired, Teams' connector
 * refused the card): a button that runs the same command again and opens it.
 */
export function formOffer(retry: { verb: string; text: string }): Message {
  return message(
    "Your form is ready",
    text("Sorry, I couldn't open the form in time. Nothing you typed was lost: press the button to open it."),
    buttons({ label: "Open the form", verb: retry.verb, text: retry.text, style: "primary" }),
  );
}
