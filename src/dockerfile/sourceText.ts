// Line/character positions -> UTF-16 offsets, with the same line breaks dockerfile-ast's
// TextDocument uses ("\r\n", "\n" and a lone "\r"), so its ranges land on the right text.

export interface LinePosition {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (code === 13 || code === 10) this.lineStarts.push(i + 1);
    }
  }

  /** As TextDocument.offsetAt: clamped to the line, never inside its line break. */
  offsetAt(position: LinePosition): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    const lineStart = this.lineStarts[position.line] ?? 0;
    if (position.character <= 0) return lineStart;
    const nextLineStart = this.lineStarts[position.line + 1] ?? this.text.length;
    let offset = Math.min(lineStart + position.character, nextLineStart);
    while (offset > lineStart && isLineBreak(this.text.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  /** The 0-based line holding `offset`. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** The file's line ending, judged by its first line break. */
export function detectEol(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

export function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}

/** Text for a message: on one line, in quotes, at most 60 characters. */
export function quoteText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return `"${oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine}"`;
}
