import { randomUUID } from 'node:crypto';
import type { Channel } from '../../models/channel';
import type { ChannelRepository } from '../../repositories';
import { channel } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

export function channelContract(store: ContractStore<{ channels: ChannelRepository }>): void {
  let repo: ChannelRepository;
  beforeEach(() => {
    repo = store.repos.channels;
  });

  it('stores and updates channels with JSON fields intact', async () => {
    const saved = await repo.save(channel());
    const found = await repo.findByName('openai-main');
    expect(found).toMatchObject({
      id: saved.id,
      models: ['gpt-4o-mini', 'text-embedding-3-small'],
      headers: { 'x-team': 'a' },
      timeouts: { totalMs: 1000 },
      enabled: true,
    });
    expect(found?.createdAt).toBeInstanceOf(Date);
    await repo.save({ ...(found as Channel), enabled: false, models: ['m'] });
    expect(await repo.findAll()).toEqual([expect.objectContaining({ enabled: false, models: ['m'] })]);
  });

  it('rejects a second channel with the same name', async () => {
    const first = await repo.save(channel());
    await expect(repo.save(channel({ id: randomUUID(), baseUrl: 'http://other.test/v1' }))).rejects.toThrow();
    expect(await repo.findAll()).toEqual([expect.objectContaining({ id: first.id, baseUrl: first.baseUrl })]);
  });

  it('renames a channel saved again under its id', async () => {
    const saved = await repo.save(channel());
    await repo.save({ ...saved, name: 'renamed' });
    expect(await repo.findByName('openai-main')).toBeNull();
    expect((await repo.findAll()).map((c) => [c.id, c.name])).toEqual([[saved.id, 'renamed']]);
  });

  it('lists channels by name', async () => {
    for (const name of ['charlie', 'alpha', 'bravo']) await repo.save(channel({ name }));
    expect((await repo.findAll()).map((c) => c.name)).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('finds a channel by id with its key hint, and deletes it by id', async () => {
    await repo.save(channel());
    const saved = await repo.save(channel({ name: 'to-delete', apiKeyHint: '…1234' }));
    expect(await repo.findById(saved.id)).toMatchObject({ name: 'to-delete', apiKeyHint: '…1234' });
    await repo.save({ ...saved, apiKeyEncrypted: null, apiKeyHint: null });
    expect(await repo.findById(saved.id)).toMatchObject({ apiKeyEncrypted: null, apiKeyHint: null });
    expect(await repo.findById(randomUUID())).toBeNull();

    expect(await repo.delete(saved.id)).toBe(true);
    expect(await repo.findById(saved.id)).toBeNull();
    expect(await repo.delete(saved.id)).toBe(false);
    expect((await repo.findAll()).map((c) => c.name)).toEqual(['openai-main']);
  });

  it('sets a key hint only while the key is the one it was computed from', async () => {
    const saved = await repo.save(channel({ name: 'hinted', apiKeyEncrypted: 'v1.k.iv.old', apiKeyHint: null }));
    expect(await repo.setApiKeyHint(saved.id, 'v1.k.iv.other', '…nope')).toBe(false);
    expect(await repo.findById(saved.id)).toMatchObject({ apiKeyHint: null });
    expect(await repo.setApiKeyHint(saved.id, 'v1.k.iv.old', '…abcd')).toBe(true);
    expect(await repo.findById(saved.id)).toMatchObject({ apiKeyEncrypted: 'v1.k.iv.old', apiKeyHint: '…abcd' });
    expect(await repo.setApiKeyHint(randomUUID(), 'v1.k.iv.old', '…abcd')).toBe(false);
  });

  it('keeps what it stores apart from the objects its callers hold', async () => {
    const saved = channel();
    await repo.save(saved);
    saved.models.push('changed-after-save');
    saved.headers['x-team'] = 'changed-after-save';
    const found = (await repo.findById(saved.id)) as Channel;
    found.models.push('changed-after-find');
    found.timeouts.totalMs = 1;
    expect(await repo.findById(saved.id)).toMatchObject({
      models: ['gpt-4o-mini', 'text-embedding-3-small'],
      headers: { 'x-team': 'a' },
      timeouts: { totalMs: 1000 },
    });
  });
}
