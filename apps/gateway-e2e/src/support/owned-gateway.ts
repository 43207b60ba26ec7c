import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { accessToken } from './admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './gateway-process';

export const OWNER_EMAIL = 'owner@example.com';
export const OWNER_PASSWORD = 'e2e-owner-password';

/** A built gateway on SQLite with an owner signed in and one channel in front of a mock upstream. */
export interface OwnedGateway {
  gateway: GatewayProcess;
  upstream: MockUpstream;
  dataDir: string;
  /** The owner's access token. */
  owner: string;
  stop(): Promise<void>;
}

export async function startOwnedGateway(channel: { name: string; models: readonly string[] }): Promise<OwnedGateway> {
  const upstream = await startMockUpstream();
  const dataDir = tempDir();
  const gateway = await startGateway({
    dataDir,
    env: { ADMIN_EMAIL: OWNER_EMAIL, ADMIN_PASSWORD: OWNER_PASSWORD, HEALTH_CHECK_INTERVAL_MS: '0' },
    config: `
channels:
  - { name: ${channel.name}, baseUrl: "${upstream.url}", models: [${channel.models.join(', ')}] }
`,
  });
  const owner = await accessToken(gateway.url, OWNER_EMAIL, OWNER_PASSWORD);
  return {
    gateway,
    upstream,
    dataDir,
    owner,
    async stop() {
      await gateway.stop();
      await upstream.close();
      removeDir(dataDir);
    },
  };
}
