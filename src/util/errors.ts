// The one error family: every failure a person reads is a DescribedError (or a subclass),
// whose message is already the sentence to show (what, why, what to do). Layers that wrap
// failures pass these through unchanged.

export class DescribedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The message of anything thrown: an Error's message, else its string form. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** " (line 3, column 7)" for a JSON.parse failure, from its position; never the text itself. */
export function jsonErrorPosition(text: string, error: unknown): string {
  const position = Number(/position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1]);
  if (!Number.isFinite(position)) return '';
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}
