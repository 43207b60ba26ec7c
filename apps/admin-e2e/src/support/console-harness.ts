import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { launchBrowser, type ConsoleBrowser } from './browser';
import { startConsoleServer, type ConsoleServer } from './console-server';
import { accessToken, graphql, removeDir, startGateway, tempDir, type GatewayProcess, type GqlBody } from './gateway';

export const OWNER_EMAIL = 'owner@example.com';
export const OWNER_PASSWORD = 'e2e-owner-password';
/** The key the mock upstream demands: proves the key typed into the channel form reaches it. */
export const UPSTREAM_KEY = 'sk-upstream-console-e2e-0123456789';

/**
 * Everything the console suite runs against, once per file: a built gateway on a fresh SQLite data
 * folder with an owner account, an OpenAI-compatible mock upstream, the built console served with
 * the gateway's paths proxied on one origin, and one headless Chromium.
 */
export interface ConsoleHarness {
  gateway: GatewayProcess;
  upstream: MockUpstream;
  console: ConsoleServer;
  browser: ConsoleBrowser;
  /** The owner's access token, for checks and set-up through the GraphQL API. */
  ownerToken: string;
  /** One GraphQL operation as the owner (or with the token given); throws on GraphQL errors. */
  api<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  };
  try {
    const upstream = await startMockUpstream({ apiKey: UPSTREAM_KEY });
    cleanups.push(() => upstream.close());
    const dataDir = tempDir();
    cleanups.push(() => removeDir(dataDir));
    const gateway = await startGateway({
      dataDir,
      env: {
        ADMIN_EMAIL: OWNER_EMAIL,
        ADMIN_PASSWORD: OWNER_PASSWORD,
        HEALTH_CHECK_INTERVAL_MS: '0',
        // The dashboards within a second or two of a call rather than a minute.
        LIVE_METRICS_PUSH_INTERVAL_MS: '1000',
        USAGE_ROLLUP_INTERVAL_MS: '500',
      },
    });
    cleanups.push(() => gateway.stop());
    const ownerToken = await accessToken(gateway.url, OWNER_EMAIL, OWNER_PASSWORD);
    const consoleServer = await startConsoleServer(gateway.url);
    cleanups.push(() => consoleServer.close());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());

    return {
      gateway,
      upstream,
      console: consoleServer,
      browser,
      ownerToken,
      async api<T>(query: string, variables?: Record<string, unknown>, token = ownerToken): Promise<T> {
        const body: GqlBody = await graphql(gateway.url, query, token, variables);
        if (body.errors?.length || !body.data) throw new Error(`GraphQL answered ${JSON.stringify(body.errors)}`);
        return body.data as T;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
