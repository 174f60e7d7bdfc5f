// Turns a burst of triggers into one call: waits for a short quiet gap, but never longer
// than maxWaitMs after the first trigger, so a lone change is not held back and a steady
// stream of changes still gets through.

export class Coalescer {
  private timer: NodeJS.Timeout | undefined;
  private firstTriggerAt: number | undefined;

  constructor(
    private readonly flush: () => void,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
  ) {}

  trigger(): void {
    const now = Date.now();
    this.firstTriggerAt ??= now;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.max(0, Math.min(this.quietMs, this.firstTriggerAt + this.maxWaitMs - now));
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    this.firstTriggerAt = undefined;
    this.flush();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.firstTriggerAt = undefined;
  }
}
