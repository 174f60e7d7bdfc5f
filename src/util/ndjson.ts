// Newline-delimited JSON streams (the engine's /events, pull and push progress) arrive in
// chunks that cut lines, and UTF-8 characters, anywhere: one splitter turns them into lines.

import { StringDecoder } from 'node:string_decoder';

export class NdjsonLineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffered = '';

  /** `onLine` gets each line trimmed, never an empty one. */
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.buffered += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      if (line) this.onLine(line);
      newline = this.buffered.indexOf('\n');
    }
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): void {
    const line = (this.buffered + this.decoder.end()).trim();
    this.buffered = '';
    if (line) this.onLine(line);
  }
}
