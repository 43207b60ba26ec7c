import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { openStore, TypeOrmChannelRepository } from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRotateMasterKey } from './rotate-master-key.command';

const OLD_SECRET = 'old-master-secret-0123456789abcdefghij';
const NEW_SECRET = 'new-master-secret-0123456789abcdefghij';

describe(runRotateMasterKey.name, () => {
  let dir: string;
  const lines = { out: [] as string[], err: [] as string[] };
  const io = { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-rotate-cmd-'));
    lines.out = [];
    lines.err = [];
    const store = await openStore({ dataDir: dir });
    const now = new Date();
    await new TypeOrmChannelRepository(store).save({
      id: randomUUID(),
      name: 'openai-main',
      type: 'openai',
      baseUrl: 'http://127.0.0.1:9000/v1',
      apiKeyEncrypted: new SecretBox(deriveMasterKey(OLD_SECRET)).encrypt('sk-upstream-1111'),
      apiKeyHint: '…1111',
      models: ['m'],
      enabled: true,
      headers: {},
      timeouts: {},
      createdAt: now,
      updatedAt: now,
    });
    await store.dataSource.destroy();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports how many values it rewrote and how many were already current', async () => {
    const options = { dataDir: dir, secret: NEW_SECRET, previousSecrets: [OLD_SECRET] };
    expect(await runRotateMasterKey(options, io)).toBe(0);
    expect(await runRotateMasterKey(options, io)).toBe(0);
    const keyId = deriveMasterKey(NEW_SECRET).id;
    expect(lines.out).toEqual([
      expect.stringContaining(`1 rewritten, 0 already current under master key ${keyId}`),
      expect.stringContaining(`0 rewritten, 1 already current under master key ${keyId}`),
    ]);
    expect(lines.err).toEqual([]);
  });

  it('refuses to run without SYNAPSE_SECRET and never generates a master.key', async () => {
    expect(await runRotateMasterKey({ dataDir: dir, previousSecrets: [OLD_SECRET] }, io)).toBe(1);
    expect(lines.err.join('\n')).toMatch(/set SYNAPSE_SECRET to the new master secret/);
    expect(existsSync(join(dir, 'master.key'))).toBe(false);
  });

  it('fails with exit code 1 and names the problem, not a secret, when the old secret is missing', async () => {
    expect(await runRotateMasterKey({ dataDir: dir, secret: NEW_SECRET, previousSecrets: [] }, io)).toBe(1);
    const message = lines.err.join('\n');
    expect(message).toContain('nothing was changed');
    expect(message).toContain(`master key id ${deriveMasterKey(OLD_SECRET).id}`);
    expect(message).toContain('SYNAPSE_SECRET_PREVIOUS');
    expect(message).not.toContain(OLD_SECRET);
    expect(message).not.toContain(NEW_SECRET);
  });
});
