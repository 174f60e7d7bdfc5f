// Where a long instruction breaks when the Layers panel shows it whole: one piece per command of
// a shell line, so `RUN apt-get update && apt-get install -y ...` reads a step a line. Pure (no
// DOM), so it is unit-tested with node.

/**
 * The instruction cut before each `&&`, `||` or `|` and after each `;` that is outside quotes,
 * the operator kept with the command it introduces (`;` with the one it ends). The spaces between
 * commands stay at the end of the earlier piece, so the pieces joined are the text unchanged.
 */
export function instructionSegments(text: string): string[] {
  const segments: string[] = [];
  let start = 0;
  let quote: "'" | '"' | undefined;
  const cut = (at: number): void => {
    if (at > start) segments.push(text.slice(start, at));
    start = at;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      continue;
    }
    if (char === '\\') {
      i++;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      continue;
    }
    const pair = text.slice(i, i + 2);
    if (pair === '&&' || pair === '||' || (char === '|' && text[i - 1] !== '>')) {
      cut(i);
      i += pair === '&&' || pair === '||' ? 1 : 0;
    } else if (char === ';') {
      let next = i + 1;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      if (next < text.length) cut(next);
      i = next - 1;
    }
  }
  cut(text.length);
  return segments;
}
