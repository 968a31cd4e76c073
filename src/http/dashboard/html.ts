/** Markup that is safe to put in a page as it is: written by {@link html}, or made by us (a chart's SVG). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/**
 * Writes markup, escaping every value put into it unless it is already {@link Html}; a list is written
 * item by item, and undefined, null and false write nothing.
 *
 * @example
 * html`<p>${name}</p>${rows.map((row) => html`<li>${row}</li>`)}` // names with `<` or `&` come out as text
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0]!;
  values.forEach((value, index) => {
    text += piece(value) + strings[index + 1]!;
  });
  return new Html(text);
}

/** Markup we made ourselves and trust as it is; never for anything a person typed. */
export const trusted = (text: string) => new Html(text);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function piece(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(piece).join("");
  if (value === undefined || value === null || value === false) return "";
  return escapeHtml(String(value));
}
