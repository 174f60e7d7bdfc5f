// The one error family: every failure a person reads is a DescribedError (or a subclass),
// whose message is already the sentence to show (what, why, what to do). Layers that wrap
// failures pass these through unchanged.

export class DescribedError extends Error {
  /** What is behind "Show Details" (the registry's and the engine's own words), when the message is only the lead. */
  readonly details?: string;

  constructor(message: string, options?: ErrorOptions & { details?: string }) {
    super(message, options);
    this.name = new.target.name;
    this.details = options?.details;
  }
}

/** The words behind an error's message, when it has any beyond the message itself. */
export function errorDetails(error: unknown): string | undefined {
  return error instanceof DescribedError ? error.details : undefined;
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
