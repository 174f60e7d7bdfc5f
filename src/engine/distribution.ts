// GET /distribution/{name}/json: the engine asks the registry what a reference points at, with
// its own view of the registry (insecure-registries, mirrors, proxies) and the credentials given
// in X-Registry-Auth. The digest resolver's fallback when Layerlens cannot ask a registry itself.

import type Dockerode from 'dockerode';
import { type EngineDistribution } from '../image/distribution';
import { EngineError, engineMessage } from './errors';

/** The engine wants the header even when anonymous: "{}" then. */
const ANONYMOUS_AUTH = Buffer.from('{}').toString('base64');

interface DistributionInspect {
  Descriptor?: { mediaType?: string; digest?: string; size?: number };
  Platforms?: Array<{ os?: string; architecture?: string; variant?: string }> | null;
}

/**
 * What `reference` (a full reference: `docker.io/library/nginx:1.27`, or `...@sha256:...`) points
 * at, as the engine sees it. An HTTP error of the engine becomes an EngineError naming the
 * reference and the engine's reason; a failure to reach the engine is thrown as dockerode threw
 * it, for the session to classify with the endpoint (as every other engine call).
 */
export async function inspectDistribution(calls: Dockerode, reference: string, registryAuth?: string, signal?: AbortSignal): Promise<EngineDistribution> {
  let answer: DistributionInspect;
  try {
    answer = await new Promise<DistributionInspect>((resolve, reject) => {
      // dockerode's Image.distribution() takes no abort signal, so the modem is called directly.
      calls.modem.dial(
        {
          path: `/distribution/${reference}/json`,
          method: 'GET',
          statusCodes: { 200: true, 401: 'unauthorized', 403: 'forbidden', 404: 'not found', 500: 'server error' },
          authconfig: { base64: registryAuth ?? ANONYMOUS_AUTH },
          abortSignal: signal,
        },
        (error, data) => {
          if (error) reject(error);
          else resolve(data ?? {});
        },
      );
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status !== 'number') throw error;
    throw describeDistributionFailure(reference, status, engineMessage(error));
  }
  const digest = answer.Descriptor?.digest;
  const mediaType = answer.Descriptor?.mediaType;
  if (typeof digest !== 'string' || typeof mediaType !== 'string') {
    throw new EngineError('engine', `The engine's answer about ${reference} holds no digest or media type. Check that the engine is Docker 18.06 or newer.`);
  }
  return {
    digest,
    mediaType,
    platforms: (answer.Platforms ?? []).map((platform) => {
      const entry: EngineDistribution['platforms'][number] = { os: platform.os ?? 'unknown', architecture: platform.architecture ?? 'unknown' };
      if (platform.variant) entry.variant = platform.variant;
      return entry;
    }),
  };
}

/** The engine puts the registry's status in its own message ("... 401 Unauthorized", "manifest unknown"): the next step follows from it. */
export function describeDistributionFailure(reference: string, status: number, reason: string): EngineError {
  // distribution's "manifest unknown: manifest unknown" (code, then message) said once.
  const text = reason.replace(/\.$/, '').replace(/^(.+): \1$/, '$1');
  let next: string;
  if (/manifest unknown|not found|does not exist/i.test(text)) next = 'Check the tag or digest and the repository name.';
  else if (/unauthorized|authentication required|denied|401|403|no basic auth credentials/i.test(text)) next = 'Log in to the registry (docker login) so the engine has credentials for it.';
  else if (/http response to https client|server gave http response/i.test(text)) next = 'The registry serves plain HTTP: add it to the engine\'s insecure-registries.';
  else if (/certificate|x509|tls/i.test(text)) next = 'Trust the registry\'s CA on the engine\'s host (/etc/docker/certs.d).';
  else if (/no such host|connection refused|timeout|i\/o timeout|dial tcp/i.test(text)) next = 'Check that the engine\'s host can reach the registry (network, proxy, DNS).';
  else next = 'Check the reference and the engine\'s log.';
  const kind = status === 404 || /manifest unknown|not found/i.test(text) ? 'not-found' : 'engine';
  return new EngineError(kind, `The engine cannot resolve ${reference}: ${text}. ${next}`, status);
}
