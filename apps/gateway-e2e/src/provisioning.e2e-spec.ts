import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { login } from './support/admin-session';
import { removeDir, startGateway, tempDir } from './support/gateway-process';
import { sqliteRows } from './support/sqlite-rows';

const CONFIG = `
channels:
  - name: openai-main
    type: openai
    baseUrl: http://127.0.0.1:9000/v1
    apiKey: \${OPENAI_API_KEY}
    models: [gpt-4o-mini, text-embedding-3-small]
keys:
  - name: ci
    key: sk-test-0123456789abcdef0123
    models: ["*"]
  - name: generated
users:
  - email: admin@example.com
    role: owner
    password: \${ADMIN_PASSWORD}
`;

describe('start-up provisioning', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('on an empty store without ADMIN_PASSWORD creates an owner, writes its password to a private file (not stdout); generates the master key file', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = await startGateway({
      dataDir,
      env: { ADMIN_PASSWORD: '', SYNAPSE_SECRET: '', ADMIN_EMAIL: 'owner@example.com' },
    });
    const secretsFile = join(dataDir, 'generated-secrets.txt');
    let password = '';
    try {
      expect(first.output()).toContain(
        `Owner account owner@example.com was created with a generated password, written to ${secretsFile}`,
      );
      password = /owner account owner@example\.com password: (\S+)/.exec(readFileSync(secretsFile, 'utf8'))?.[1] ?? '';
      expect(password).toMatch(/\S{12,}/);
      // Container logs keep stdout: the password must not be there.
      expect(first.output()).not.toContain(password);
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
      expect((await login(first.url, 'owner@example.com', password)).status).toBe(200);
    } finally {
      await first.stop();
    }
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('SYNAPSE_SECRET is not set: generated a master key');
    expect(readFileSync(join(dataDir, 'master.key'), 'utf8').trim().length).toBeGreaterThanOrEqual(32);
    const [owner] = sqliteRows<{ email: string; role: string; password_hash: string }>(
      dataDir,
      'SELECT email, role, password_hash FROM users',
    );
    expect(owner).toMatchObject({ email: 'owner@example.com', role: 'owner' });
    expect(owner.password_hash).toMatch(/^\$argon2id\$/);
    expect(owner.password_hash).not.toContain(password);

    const second = await startGateway({ dataDir, env: { ADMIN_PASSWORD: '', SYNAPSE_SECRET: '' } });
    expect(await second.stop()).toBe(0);
    expect(second.output()).not.toContain('generated password');
    expect(second.output()).not.toContain('generated a master key');
  });

  it('applies the config file idempotently, encrypts upstream keys and stores gateway keys as hashes', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const env = { OPENAI_API_KEY: 'sk-upstream-PLAINTEXT-4242', ADMIN_PASSWORD: 'config-admin-pass' };
    const first = await startGateway({ dataDir, config: CONFIG, env });
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain(
      'created user admin@example.com, created channel openai-main, created key ci, created key generated',
    );
    expect(first.output()).toContain(
      `Gateway key 'generated' was created with a generated secret, written to ${join(dataDir, 'generated-secrets.txt')}`,
    );
    const generated = /gateway key 'generated': (sk-\S{20,})/.exec(
      readFileSync(join(dataDir, 'generated-secrets.txt'), 'utf8'),
    )?.[1];
    expect(generated).toBeDefined();
    expect(first.output()).not.toContain(generated);
    // the config declares an owner, so no extra owner account is generated
    expect(sqliteRows(dataDir, 'SELECT email FROM users')).toEqual([{ email: 'admin@example.com' }]);

    const [channel] = sqliteRows<{ api_key_encrypted: string; api_key_hint: string }>(
      dataDir,
      'SELECT api_key_encrypted, api_key_hint FROM channels',
    );
    expect(channel.api_key_encrypted).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(channel.api_key_hint).toBe('…4242');
    expect(readFileSync(join(dataDir, 'synapse.db')).includes('PLAINTEXT')).toBe(false);
    const keys = sqliteRows<{ name: string; prefix: string; hash: string }>(
      dataDir,
      'SELECT name, prefix, hash FROM gateway_keys ORDER BY name',
    );
    expect(keys.find((k) => k.name === 'ci')).toMatchObject({
      prefix: 'sk-test-01',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const before = sqliteRows(
      dataDir,
      'SELECT * FROM channels UNION ALL SELECT id, name, prefix, hash, models, enabled, expires_at, user_id, created_at, updated_at, NULL, NULL FROM gateway_keys',
    );

    const second = await startGateway({ dataDir, config: CONFIG, env });
    expect(await second.stop()).toBe(0);
    expect(second.output()).toContain('no changes');
    expect(second.output()).not.toContain('generated secret');
    const after = sqliteRows(
      dataDir,
      'SELECT * FROM channels UNION ALL SELECT id, name, prefix, hash, models, enabled, expires_at, user_id, created_at, updated_at, NULL, NULL FROM gateway_keys',
    );
    expect(after).toEqual(before);

    const changed = await startGateway({
      dataDir,
      config: CONFIG.replace('[gpt-4o-mini, text-embedding-3-small]', '[gpt-4o-mini]'),
      env,
    });
    expect(await changed.stop()).toBe(0);
    expect(changed.output()).toContain('updated channel openai-main');
  });

  it('still creates the owner from ADMIN_EMAIL when the config file declares only other roles', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const gateway = await startGateway({
      dataDir,
      env: { ADMIN_EMAIL: 'boss@example.com', MEMBER_PASSWORD: 'member-password-1' },
      config: 'users:\n  - { email: member@example.com, role: member, password: "${MEMBER_PASSWORD}" }\n',
    });
    expect(await gateway.stop()).toBe(0);
    expect(sqliteRows(dataDir, 'SELECT email, role FROM users ORDER BY email')).toEqual([
      { email: 'boss@example.com', role: 'owner' },
      { email: 'member@example.com', role: 'member' },
    ]);
  });

  it('refuses to start on an invalid config file and names each problem by its path', async () => {
    const gateway = await startGateway({
      expectExit: true,
      config: `
channels:
  - name: ok
    baseUrl: http://127.0.0.1:9000/v1
    models: [m]
  - name: broken
    baseUrl: ftp://example.com
    models: [m]
keys:
  - name: k
    models: ["*"]
    key: \${MISSING_KEY_VARIABLE}
`,
    });
    dirs.push(gateway.dataDir);
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain('keys[0].key: environment variable MISSING_KEY_VARIABLE is not set');

    const second = await startGateway({
      expectExit: true,
      config:
        'channels:\n  - {name: ok, baseUrl: "http://x/v1", models: [m]}\n  - {name: broken, baseUrl: "ftp://example.com", models: [m]}\n',
    });
    dirs.push(second.dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('channels[1].baseUrl: must be an http(s) URL');
  });

  it('refuses to start on an invalid environment', async () => {
    const gateway = await startGateway({ expectExit: true, env: { DATABASE_URL: 'mysql://nope' } });
    dirs.push(gateway.dataDir);
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain('DATABASE_URL: must be a postgres:// URL');
  });
});
