// One engine connection for the whole extension: the endpoint is resolved, the clients
// made and the engine probed lazily, on first use, and again after a failure or a
// settings change. Nothing here runs at activation.

import { createDockerClients, type DockerClients, type EngineInfo, probeEngine } from './client';
import { type EndpointInputs, type EngineEndpoint, EndpointError, resolveEngineEndpoint } from './connection';
import { EngineError, isConnectionProblem, toEngineError } from './errors';
import { DescribedError } from '../util/errors';
import { type Logger } from '../util/logger';

export interface EngineConnection extends DockerClients {
  endpoint: EngineEndpoint;
  info: EngineInfo;
}

export class EngineSession {
  private resolved: { endpoint: EngineEndpoint; clients?: Promise<DockerClients> } | undefined;
  private probing: Promise<EngineConnection> | undefined;
  private connection: EngineConnection | undefined;

  constructor(
    private readonly readInputs: () => EndpointInputs,
    private readonly log: Logger,
  ) {}

  /** The endpoint, resolved once, without touching the network. Throws EngineError('bad-endpoint'). */
  endpoint(): EngineEndpoint {
    if (!this.resolved) {
      let endpoint: EngineEndpoint;
      try {
        endpoint = resolveEngineEndpoint(this.readInputs());
      } catch (error) {
        if (error instanceof EndpointError) throw new EngineError('bad-endpoint', error.message);
        throw error;
      }
      this.log.info(`engine: using ${endpoint.url} (from ${endpoint.context ? `context "${endpoint.context}", ` : ''}${endpoint.source})`);
      this.resolved = { endpoint };
    }
    return this.resolved.endpoint;
  }

  private clients(): Promise<DockerClients> {
    const endpoint = this.endpoint();
    const resolved = this.resolved!;
    resolved.clients ??= createDockerClients(endpoint);
    return resolved.clients;
  }

  /** Connects and probes once; later calls reuse the result until `invalidate()`. */
  async connect(): Promise<EngineConnection> {
    if (this.connection) return this.connection;
    this.probing ??= this.probe().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  private async probe(): Promise<EngineConnection> {
    const endpoint = this.endpoint();
    const clients = await this.clients();
    try {
      const info = await probeEngine(clients.calls, endpoint);
      this.log.info(`engine: ${info.product} ${info.version} (API ${info.apiVersion}, ${info.os}/${info.arch}) at ${endpoint.url}`);
      this.connection = { ...clients, endpoint, info };
      return this.connection;
    } catch (error) {
      throw toEngineError(error, endpoint);
    }
  }

  /** Runs an engine call, turning failures into EngineError and forgetting a dead connection. */
  async run<T>(what: string, call: (connection: EngineConnection) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    const started = Date.now();
    try {
      const result = await call(connection);
      this.log.debug(`engine: ${what} (${Date.now() - started} ms)`);
      return result;
    } catch (error) {
      if (error instanceof DescribedError && !(error instanceof EngineError)) {
        this.log.error(`engine: ${what} failed after ${Date.now() - started} ms: ${error.message}`);
        throw error;
      }
      const engineError = toEngineError(error, connection.endpoint);
      this.log.error(`engine: ${what} failed after ${Date.now() - started} ms: ${engineError.message}`);
      if (isConnectionProblem(engineError.kind)) this.connection = undefined;
      throw engineError;
    }
  }

  /** Forgets the endpoint and the probe: the next call resolves and probes again. */
  reset(): void {
    this.resolved = undefined;
    this.connection = undefined;
  }

  /** Forgets the probe only: the engine may have been restarted or upgraded. */
  invalidate(): void {
    this.connection = undefined;
  }

  get current(): EngineConnection | undefined {
    return this.connection;
  }
}
