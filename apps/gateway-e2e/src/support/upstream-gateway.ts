import OpenAI from 'openai';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './gateway-process';

/** The built gateway in front of one mock upstream, and an OpenAI SDK client for it. */
export interface UpstreamGateway<U> {
  upstream: U;
  gateway: GatewayProcess;
  client: OpenAI;
  /** Stops the gateway and the upstream, and removes the gateway's data. */
  stop(): Promise<void>;
}

export interface UpstreamGatewayOptions<U> {
  startUpstream: () => Promise<U>;
  /** The config's `channels:` and `routes:`, written for the upstream's URL. */
  channelsAndRoutes: (upstreamUrl: string) => string;
  /** The gateway key the client holds; it may call every model. */
  key: string;
}

/** Starts the upstream, then the gateway; what started is stopped again when a start fails. */
export async function startUpstreamGateway<U extends { url: string; close(): Promise<void> }>(
  options: UpstreamGatewayOptions<U>,
): Promise<UpstreamGateway<U>> {
  const upstream = await options.startUpstream();
  const dataDir = tempDir();
  const config = `${options.channelsAndRoutes(upstream.url)}
keys:
  - { name: ci, key: ${options.key}, models: ["*"] }
`;
  let gateway: GatewayProcess;
  try {
    // The specs make the upstream fail on purpose: the circuit breaker must not take its channel out of routing.
    gateway = await startGateway({ dataDir, config, env: { ROUTING_FAILURE_THRESHOLD: '1000' } });
  } catch (error) {
    await upstream.close();
    removeDir(dataDir);
    throw error;
  }
  return {
    upstream,
    gateway,
    // No retries in the SDK: a test sees the gateway's own answer, its errors included.
    client: new OpenAI({ apiKey: options.key, baseURL: gateway.baseURL, maxRetries: 0 }),
    async stop() {
      await gateway.stop();
      await upstream.close();
      removeDir(dataDir);
    },
  };
}
