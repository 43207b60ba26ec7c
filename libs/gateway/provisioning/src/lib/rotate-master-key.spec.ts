import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { openNotificationSecrets, sealNotificationSecrets } from '@synapse/gateway/config';
import {
  openStore,
  TypeOrmChannelRepository,
  TypeOrmNotificationChannelRepository,
  type Channel,
  type Store,
} from '@synapse/gateway/persistence';
import { createPostgresSchema, postgresAvailable, POSTGRES_URL } from '@synapse/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rotateStoredSecrets } from './rotate-master-key';
import { UnknownMasterKeyError } from './stored-secrets';

const OLD = deriveMasterKey('old-master-secret-0123456789abcdefghij');
const NEW = deriveMasterKey('new-master-secret-0123456789abcdefghij');
const STRANGER = deriveMasterKey('someone-elses-secret-0123456789abcdefg');

/** A fresh store per test; `cleanup` closes and removes it. */
type OpenFresh = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

const sqlite: OpenFresh = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-rotate-'));
  const store = await openStore({ dataDir: dir });
  return {
    store,
    cleanup: async () => {
      await store.dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

const postgres: OpenFresh = async () => {
  const { schema, drop } = await createPostgresSchema('rotate');
  const store = await openStore({ dataDir: '', databaseUrl: POSTGRES_URL, schema });
  return { store, cleanup: async () => (await store.dataSource.destroy(), drop()) };
};

const stores: [string, OpenFresh][] = [['SQLite', sqlite]];
if (postgresAvailable) stores.push(['PostgreSQL', postgres]);

describe.each(stores)(`${rotateStoredSecrets.name} on %s`, (_name, openFresh) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let channels: TypeOrmChannelRepository;

  beforeEach(async () => {
    ({ store, cleanup } = await openFresh());
    channels = new TypeOrmChannelRepository(store);
  });

  afterEach(() => cleanup());

  const save = (name: string, apiKeyEncrypted: string | null, headers: Record<string, string> = {}) => {
    const now = new Date();
    const channel: Channel = {
      id: randomUUID(),
      name,
      type: 'openai',
      baseUrl: 'http://127.0.0.1:9000/v1',
      apiKeyEncrypted,
      apiKeyHint: null,
      models: ['m'],
      enabled: true,
      headers,
      timeouts: {},
      createdAt: now,
      updatedAt: now,
    };
    return channels.save(channel);
  };
  const sealedOf = async (name: string) => (await channels.findByName(name))?.apiKeyEncrypted ?? null;

  it('rewrites values under a previous key, leaves current ones and keyless channels alone', async () => {
    await save('old-a', new SecretBox(OLD).encrypt('sk-upstream-a-1111'));
    await save('old-b', new SecretBox(OLD).encrypt('sk-upstream-b-2222'));
    const current = new SecretBox(NEW).encrypt('sk-upstream-c-3333');
    await save('current', current);
    await save('no-key', null);

    const secrets = new SecretBox(NEW, [OLD]);
    expect(await rotateStoredSecrets(store, secrets)).toEqual({ rewritten: 2, alreadyCurrent: 1 });

    const onlyNew = new SecretBox(NEW);
    expect(onlyNew.decrypt((await sealedOf('old-a')) as string)).toBe('sk-upstream-a-1111');
    expect(onlyNew.decrypt((await sealedOf('old-b')) as string)).toBe('sk-upstream-b-2222');
    expect(await sealedOf('current')).toBe(current);
    expect(await sealedOf('no-key')).toBeNull();
  });

  it('rewrites sealed header values too, and leaves header values under the current key alone', async () => {
    const old = new SecretBox(OLD);
    const currentValue = new SecretBox(NEW).encrypt('org-current');
    await save('azure', null, { 'api-key': old.encrypt('azure-secret-1111'), 'OpenAI-Organization': currentValue });
    const secrets = new SecretBox(NEW, [OLD]);
    expect(await rotateStoredSecrets(store, secrets)).toEqual({ rewritten: 1, alreadyCurrent: 1 });
    const headers = (await channels.findByName('azure'))?.headers ?? {};
    expect(new SecretBox(NEW).decrypt(headers['api-key'])).toBe('azure-secret-1111');
    expect(headers['OpenAI-Organization']).toBe(currentValue);
    expect(await rotateStoredSecrets(store, secrets)).toEqual({ rewritten: 0, alreadyCurrent: 2 });
  });

  it('refuses to start a rotation when a header value is under an unknown key', async () => {
    await save('strange', null, { 'api-key': new SecretBox(STRANGER).encrypt('x') });
    await expect(rotateStoredSecrets(store, new SecretBox(NEW, [OLD]))).rejects.toThrow(UnknownMasterKeyError);
  });

  it('is idempotent: a second run rewrites nothing', async () => {
    await save('old', new SecretBox(OLD).encrypt('sk-upstream-1111'));
    const secrets = new SecretBox(NEW, [OLD]);
    await rotateStoredSecrets(store, secrets);
    const after = await sealedOf('old');

    expect(await rotateStoredSecrets(store, secrets)).toEqual({ rewritten: 0, alreadyCurrent: 1 });
    expect(await sealedOf('old')).toBe(after);
  });

  it('re-encrypts the secrets of notification channels, and refuses ones under an unknown key before any write', async () => {
    const notifiers = new TypeOrmNotificationChannelRepository(store);
    const notifier = (name: string, key: typeof OLD) =>
      notifiers.save({
        id: randomUUID(),
        name,
        kind: 'webhook',
        enabled: true,
        settings: { signed: true },
        ...sealNotificationSecrets(new SecretBox(key), {
          webhookUrl: 'https://hooks.example.com/t0ken',
          secret: 'whsec',
        }),
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    await save('old', new SecretBox(OLD).encrypt('sk-upstream-1111'));
    await notifier('hook', OLD);
    const secrets = new SecretBox(NEW, [OLD]);
    expect(await rotateStoredSecrets(store, secrets)).toEqual({ rewritten: 2, alreadyCurrent: 0 });
    const sealed = (await notifiers.findByName('hook'))?.secretsEncrypted ?? null;
    expect(SecretBox.keyIdOf(sealed as string)).toBe(NEW.id);
    expect(openNotificationSecrets(new SecretBox(NEW), sealed)).toEqual({
      webhookUrl: 'https://hooks.example.com/t0ken',
      secret: 'whsec',
    });
    expect(await rotateStoredSecrets(store, secrets)).toEqual({ rewritten: 0, alreadyCurrent: 2 });

    await notifier('strange', STRANGER);
    await save('older', new SecretBox(OLD).encrypt('sk-upstream-3333'));
    await expect(rotateStoredSecrets(store, secrets)).rejects.toThrow("notification channel 'strange'");
    expect(SecretBox.keyIdOf((await sealedOf('older')) as string)).toBe(OLD.id);
  });

  it('fails without changing anything when a value is under a key it does not know', async () => {
    const old = new SecretBox(OLD).encrypt('sk-upstream-1111');
    const stranger = new SecretBox(STRANGER).encrypt('sk-upstream-2222');
    // 'a-old' sorts first, so a rotation that wrote as it went would already have rewritten it.
    await save('a-old', old);
    await save('b-stranger', stranger);

    const attempt = rotateStoredSecrets(store, new SecretBox(NEW, [OLD]));
    await expect(attempt).rejects.toThrow(UnknownMasterKeyError);
    await expect(attempt).rejects.toThrow(`channel 'b-stranger'`);
    await expect(attempt).rejects.toThrow(STRANGER.id);
    expect(await sealedOf('a-old')).toBe(old);
    expect(await sealedOf('b-stranger')).toBe(stranger);
  });

  it('rolls every rewrite back when one value cannot be decrypted', async () => {
    const good = new SecretBox(OLD).encrypt('sk-upstream-1111');
    const parts = new SecretBox(OLD).encrypt('sk-upstream-2222').split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    const tampered = [...parts.slice(0, 3), body.toString('base64url')].join('.');
    await save('a-good', good);
    await save('b-tampered', tampered);

    await expect(rotateStoredSecrets(store, new SecretBox(NEW, [OLD]))).rejects.toThrow();
    expect(await sealedOf('a-good')).toBe(good);
    expect(await sealedOf('b-tampered')).toBe(tampered);
  });
});
