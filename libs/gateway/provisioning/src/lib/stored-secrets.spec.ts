import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveMasterKey, openValues, SecretBox } from '@synapse/crypto';
import {
  openStore,
  TypeOrmChannelRepository,
  type Channel,
  type ChannelRepository,
} from '@synapse/gateway/persistence';
import {
  assertStoredSecretsReadable,
  channelsWithUnknownKey,
  fillMissingKeyHints,
  sealPlainHeaderValues,
  UnknownMasterKeyError,
} from './stored-secrets';

const CURRENT = deriveMasterKey('current-master-secret-0123456789abcdef');
const PREVIOUS = deriveMasterKey('previous-master-secret-0123456789abcde');
const STRANGER = deriveMasterKey('stranger-master-secret-0123456789abcde');

function channel(name: string, apiKeyEncrypted: string | null): Channel {
  const now = new Date();
  return {
    id: name,
    name,
    type: 'openai',
    baseUrl: 'http://127.0.0.1:9000/v1',
    apiKeyEncrypted,
    apiKeyHint: null,
    models: ['m'],
    enabled: true,
    headers: {},
    timeouts: {},
    createdAt: now,
    updatedAt: now,
  };
}

describe(UnknownMasterKeyError.name, () => {
  const secrets = new SecretBox(CURRENT, [PREVIOUS]);
  const channels = [
    channel('current', new SecretBox(CURRENT).encrypt('sk-upstream-1111')),
    channel('previous', new SecretBox(PREVIOUS).encrypt('sk-upstream-2222')),
    channel('keyless', null),
    channel('stranger', new SecretBox(STRANGER).encrypt('sk-upstream-3333')),
    channel('garbled', 'not-an-encrypted-value'),
  ];

  it('reads well for a single channel', () => {
    expect(new UnknownMasterKeyError([channels[3]]).message).toMatch(
      new RegExp(
        `^Cannot read the stored upstream key of channel 'stranger': it was encrypted under master key id ${STRANGER.id}, `,
      ),
    );
  });

  it('finds the channels whose key neither the current nor a previous master key can read', () => {
    expect(channelsWithUnknownKey(channels, secrets).map((c) => c.name)).toEqual(['stranger', 'garbled']);
    expect(() => assertStoredSecretsReadable(channels.slice(0, 3), secrets)).not.toThrow();
  });

  it('names the channels, the key ids and the way out, never a secret', () => {
    let error: Error | undefined;
    try {
      assertStoredSecretsReadable(channels, secrets);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(UnknownMasterKeyError);
    expect(error?.message).toContain(`keys of channels 'stranger', 'garbled'`);
    expect(error?.message).toContain(`master key id ${STRANGER.id}, ?`);
    expect(error?.message).toContain('SYNAPSE_SECRET_PREVIOUS');
    expect(error?.message).toContain('rotate-master-key');
    expect(error?.message).not.toMatch(/sk-upstream|master-secret/);
  });
});

describe(fillMissingKeyHints.name, () => {
  const secrets = new SecretBox(CURRENT, [PREVIOUS]);

  it('stores the hint of keys saved without one, and touches nothing else', async () => {
    const calls: [string, string, string | null][] = [];
    const repository = {
      setApiKeyHint: async (id: string, sealed: string, hint: string | null) => {
        calls.push([id, sealed, hint]);
        return id !== 'changed-meanwhile';
      },
    } as unknown as ChannelRepository;
    const old = channel('old', new SecretBox(PREVIOUS).encrypt('sk-upstream-secret-2222'));
    const hinted = { ...channel('hinted', secrets.encrypt('sk-upstream-secret-1111')), apiKeyHint: '…1111' };
    const raced = channel('changed-meanwhile', secrets.encrypt('sk-upstream-secret-3333'));

    const filled = await fillMissingKeyHints([old, hinted, channel('keyless', null), raced], secrets, repository);

    expect(filled).toBe(1);
    expect(calls).toEqual([
      ['old', old.apiKeyEncrypted, '…2222'],
      ['changed-meanwhile', raced.apiKeyEncrypted, '…3333'],
    ]);
  });
});

describe(sealPlainHeaderValues.name, () => {
  it('seals header values stored in clear, keeps sealed ones, and finds nothing to do the second time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synapse-seal-headers-'));
    const store = await openStore({ dataDir: dir });
    try {
      const repository = new TypeOrmChannelRepository(store);
      const box = new SecretBox(CURRENT);
      const alreadySealed = box.encrypt('org-1');
      await repository.save({
        ...channel('legacy', null),
        headers: { 'api-key': 'azure-secret-in-clear', 'OpenAI-Organization': alreadySealed },
      });
      await repository.save(channel('plain-none', null));

      expect(await sealPlainHeaderValues(await repository.findAll(), box, repository)).toBe(1);
      const headers = (await repository.findByName('legacy'))?.headers ?? {};
      expect(JSON.stringify(headers)).not.toContain('azure-secret-in-clear');
      expect(openValues(headers, (v) => box.decrypt(v))).toEqual({
        'api-key': 'azure-secret-in-clear',
        'OpenAI-Organization': 'org-1',
      });
      expect(headers['OpenAI-Organization']).toBe(alreadySealed);
      expect(await sealPlainHeaderValues(await repository.findAll(), box, repository)).toBe(0);
      // A header value under a master key nobody holds stops the start like an API key would.
      const stranger = { ...channel('odd', null), headers: { 'api-key': new SecretBox(STRANGER).encrypt('x') } };
      expect(() => assertStoredSecretsReadable([stranger], box)).toThrow(UnknownMasterKeyError);
    } finally {
      await store.dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
