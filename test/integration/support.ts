// Builds the real core (session + model) against a given engine, for integration tests.

import { type EndpointInputs } from '../../src/engine/connection';
import { type EngineError } from '../../src/engine/errors';
import { type ImagesState, LocalImagesModel, type LocalImagesOptions } from '../../src/engine/localImages';
import { EngineSession } from '../../src/engine/session';
import { type Logger } from '../../src/util/logger';

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string | Error) => void lines.push(`${level} ${String(message)}`);
  return { lines, trace: record('trace'), debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

export function inputsFor(dockerHost: string): () => EndpointInputs {
  return () => ({ setting: dockerHost, env: {}, homeDir: '/nonexistent-home', platform: 'linux', readTextFile: () => undefined });
}

export function createImagesModel(dockerHost: string | (() => EndpointInputs), options: LocalImagesOptions = {}): { session: EngineSession; model: LocalImagesModel; log: RecordingLogger } {
  const log = recordingLogger();
  const session = new EngineSession(typeof dockerHost === 'string' ? inputsFor(dockerHost) : dockerHost, log);
  const model = new LocalImagesModel(session, log, { backoff: { initialMs: 100, maxMs: 500 }, ...options });
  return { session, model, log };
}

/** Resolves with the first state (current or coming) that satisfies the predicate. */
export function waitForState(model: LocalImagesModel, predicate: (state: ImagesState) => boolean, timeoutMs = 30_000, what = 'the expected state'): Promise<ImagesState> {
  if (predicate(model.state)) return Promise.resolve(model.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last state: ${describeState(model.state)}`));
    }, timeoutMs);
    const subscription = model.onDidChange((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(state);
    });
  });
}

export function hasTag(state: ImagesState, reference: string): boolean {
  return state.kind === 'ready' && state.images.some((image) => image.repoTags.includes(reference));
}

export function describeState(state: ImagesState): string {
  if (state.kind === 'ready') return `ready (${state.images.length} images)`;
  if (state.kind === 'error') return `error ${state.error.kind}: ${state.error.message}`;
  return state.kind;
}

/** A fresh model for these inputs, started and disposed: its first settled state (ready or error). */
export async function firstSettledState(inputs: string | (() => EndpointInputs)): Promise<ImagesState> {
  const { model } = createImagesModel(inputs);
  model.start();
  try {
    return await waitForState(model, (state) => state.kind === 'ready' || state.kind === 'error', 15_000, 'ready or error');
  } finally {
    model.dispose();
  }
}

/** The first settled state, which must be an error. */
export async function firstError(inputs: string | (() => EndpointInputs)): Promise<EngineError> {
  const state = await firstSettledState(inputs);
  if (state.kind !== 'error') throw new Error(`expected an error, got ${describeState(state)}`);
  return state.error;
}
