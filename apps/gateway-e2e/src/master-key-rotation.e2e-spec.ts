import { deriveMasterKey } from '@synapse/crypto';
import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGatewayCommand } from './support/gateway-command';
import { removeDir, startGateway, tempDir } from './support/gateway-process';
import { sqliteRows } from './support/sqlite-rows';

const SECRET_A = 'master-secret-A-0123456789abcdefghijklmnop';
const SECRET_B = 'master-secret-B-0123456789abcdefghijklmnop';
const UPSTREAM_SECRET = 'sk-upstream-ROTATE-PLAINTEXT-9d2e';
const KEY = 'sk-test-rotate-0123456789abcdef';

describe('rotate-master-key (built gateway)', () => {
  let upstream: MockUpstream;
  const dirs: string[] = [];

  beforeAll(async () => {
    upstream = await startMockUpstream({ apiKey: UPSTREAM_SECRET });
  });

  afterAll(async () => {
    await upstream?.close();
    dirs.forEach(removeDir);
  });

  const config = () => `
channels:
  - name: openai-main
    baseUrl: ${upstream.url}
    apiKey: \${UPSTREAM_KEY}
    models: [gpt-4o-mini]
keys:
  - { name: ci, key: ${KEY} }
`;

  const storedKeyId = (dataDir: string) =>
    sqliteRows<{ api_key_encrypted: string }>(
      dataDir,
      'SELECT api_key_encrypted FROM channels',
    )[0]?.api_key_encrypted.split('.')[1];

  /** The database, its WAL and shared-memory files: the plaintext key must be in none of them. */
  const storeHoldsPlaintext = (dataDir: string) =>
    readdirSync(dataDir)
      .filter((f) => f.startsWith('synapse.db'))
      .some((f) => readFileSync(join(dataDir, f)).includes(UPSTREAM_SECRET));

  it('refuses to start under a new secret, rewrites the stored key under it, then serves with it alone', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const withSecret = (secret: string) => ({ SYNAPSE_SECRET: secret, UPSTREAM_KEY: UPSTREAM_SECRET });
    const rotate = (previous: string) =>
      runGatewayCommand('rotate-master-key', {
        DATA_DIR: dataDir,
        SYNAPSE_SECRET: SECRET_B,
        SYNAPSE_SECRET_PREVIOUS: previous,
      });

    const first = await startGateway({ dataDir, config: config(), env: withSecret(SECRET_A) });
    expect(await first.stop()).toBe(0);
    expect(storedKeyId(dataDir)).toBe(deriveMasterKey(SECRET_A).id);

    const refused = await startGateway({ dataDir, config: config(), env: withSecret(SECRET_B), expectExit: true });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain(
      `Cannot read the stored upstream key of channel 'openai-main': it was encrypted under master key id ${deriveMasterKey(SECRET_A).id}`,
    );
    expect(refused.output()).toContain('SYNAPSE_SECRET_PREVIOUS');
    expect(refused.output()).not.toContain(SECRET_A);
    expect(refused.output()).not.toContain(SECRET_B);

    const rotated = await rotate(SECRET_A);
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    expect(rotated.stdout).toContain(`1 rewritten, 0 already current under master key ${deriveMasterKey(SECRET_B).id}`);
    expect(storedKeyId(dataDir)).toBe(deriveMasterKey(SECRET_B).id);

    const served = await startGateway({ dataDir, config: config(), env: withSecret(SECRET_B) });
    try {
      const response = await fetch(`${served.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      expect(response.status).toBe(200);
      expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${UPSTREAM_SECRET}`);
      // The config file names the same key, so applying it under the new secret changes nothing.
      expect(served.output()).toContain('no changes');
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(storeHoldsPlaintext(dataDir)).toBe(false);

    const again = await rotate('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 rewritten, 1 already current');
  }, 60_000);

  it('moves a data folder from its generated master.key to SYNAPSE_SECRET when the file names the previous key', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const generated = await startGateway({
      dataDir,
      config: config(),
      env: { SYNAPSE_SECRET: '', UPSTREAM_KEY: UPSTREAM_SECRET },
    });
    expect(await generated.stop()).toBe(0);
    const fileSecret = readFileSync(join(dataDir, 'master.key'), 'utf8').trim();
    expect(storedKeyId(dataDir)).toBe(deriveMasterKey(fileSecret).id);

    const withoutNewSecret = await runGatewayCommand('rotate-master-key', {
      DATA_DIR: dataDir,
      SYNAPSE_SECRET_PREVIOUS: fileSecret,
    });
    expect(withoutNewSecret.code).toBe(1);
    expect(withoutNewSecret.stderr).toContain('set SYNAPSE_SECRET to the new master secret');

    const rotated = await runGatewayCommand('rotate-master-key', {
      DATA_DIR: dataDir,
      SYNAPSE_SECRET: SECRET_B,
      SYNAPSE_SECRET_PREVIOUS: fileSecret,
    });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('1 rewritten, 0 already current');

    const served = await startGateway({
      dataDir,
      config: config(),
      env: { SYNAPSE_SECRET: SECRET_B, UPSTREAM_KEY: UPSTREAM_SECRET },
    });
    expect(await served.stop()).toBe(0);
    expect(storedKeyId(dataDir)).toBe(deriveMasterKey(SECRET_B).id);
    expect(storeHoldsPlaintext(dataDir)).toBe(false);
  }, 60_000);
});
