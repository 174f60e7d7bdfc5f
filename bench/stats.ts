// Small helpers for benchmarks: repeated timing, medians, and a uniform report line.

export async function timeRuns(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

/** One line a figure: the value, the ratio to its anchor, and whether it meets the target. */
export function report(label: string, value: string, ratio: number, target: string, met: boolean): void {
  console.log(`${label.padEnd(58)} ${value.padStart(12)}  ratio ${ratio.toFixed(2).padStart(6)}  target ${target.padEnd(8)} ${met ? 'MET' : 'MISSED'}`);
}

/**
 * Each contender timed once a round, for `runs` rounds, in turn: a noisy neighbour slows all
 * of them alike. Returns each one's median, by name.
 */
export async function interleavedMedians<K extends string>(runs: number, contenders: Record<K, () => Promise<unknown>>): Promise<Record<K, number>> {
  const names = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < runs; round++) {
    for (const name of names) samples[name].push(...(await timeRuns(1, contenders[name])));
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])])) as Record<K, number>;
}
