import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessToken, graphql } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every file directly in the folder, with its mode in octal. */
function modes(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, mode(join(dir, name))]));
}

/** Security review #11, items 8b and 8d: what the gateway leaves in its data folder, and what it prints. */
describe('the data folder', () => {
  const roots: string[] = [];
  const running: GatewayProcess[] = [];
  afterEach(async () => {
    for (const gateway of running.splice(0)) await gateway.stop();
  });
  afterAll(() => roots.forEach(removeDir));

  it('is created 0700 with every file 0600 (store, WAL, master key, generated secrets), and tightened at start when it was not', async () => {
    const root = tempDir();
    roots.push(root);
    // A folder the gateway creates itself (tempDir() would already be 0700).
    const dataDir = join(root, 'data');
    // A generated master key, and a generated key secret (a key declared without one).
    const config = join(root, 'synapse.yaml');
    writeFileSync(config, 'keys:\n  - name: generated\n');
    const env = {
      ADMIN_EMAIL: 'owner@example.com',
      ADMIN_PASSWORD: 'e2e-owner-password',
      SYNAPSE_SECRET: '',
      SYNAPSE_CONFIG: config,
      HEALTH_CHECK_INTERVAL_MS: '0',
    };
    const first = await startGateway({ dataDir, env });
    running.push(first);
    // Some writes, so that the WAL holds something.
    const token = await accessToken(first.url, 'owner@example.com', 'e2e-owner-password');
    await graphql(first.url, '{ me { email } }', token);

    const files = modes(dataDir);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['synapse.db', 'synapse.db-wal', 'synapse.db-shm', 'master.key']),
    );
    expect([mode(dataDir), files]).toEqual([
      '700',
      Object.fromEntries(Object.keys(files).map((name) => [name, '600'])),
    ]);
    expect(await first.stop()).toBe(0);

    // As an older version (or a careless copy) left it: readable by everyone.
    chmodSync(dataDir, 0o755);
    for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o644);
    const second = await startGateway({ dataDir, env });
    running.push(second);
    const after = modes(dataDir);
    expect([mode(dataDir), after]).toEqual(['700', Object.fromEntries(Object.keys(after).map((n) => [n, '600']))]);
    expect(await second.stop()).toBe(0);
  });
});
