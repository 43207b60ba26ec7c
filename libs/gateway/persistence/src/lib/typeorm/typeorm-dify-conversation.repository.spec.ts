import { randomUUID } from 'node:crypto';
import type { DifyConversation, DifyMessage } from '../models/dify-conversation';
import { SQL_STORES, type StoreHarness } from '../testing/store-harnesses';
import type { Store } from './data-source';
import { TypeOrmDifyConversationRepository } from './typeorm-dify-conversation.repository';

const KEY = randomUUID();
const OTHER_KEY = randomUUID();

function conversation(fields: Partial<DifyConversation> = {}): DifyConversation {
  const at = new Date('2026-12-01T10:00:00.000Z');
  return {
    id: randomUUID(),
    keyId: KEY,
    endUser: 'u1',
    name: 'New',
    inputs: {},
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

function message(conversationId: string | null, at: Date, fields: Partial<DifyMessage> = {}): DifyMessage {
  return {
    id: randomUUID(),
    conversationId,
    keyId: KEY,
    endUser: 'u1',
    query: `q@${at.toISOString()}`,
    answer: `a@${at.toISOString()}`,
    inputs: { lang: 'en' },
    files: [],
    status: 'normal',
    error: null,
    feedbackRating: null,
    feedbackContent: null,
    promptTokens: 11,
    completionTokens: 3,
    createdAt: at,
    ...fields,
  };
}

const minute = (n: number) => new Date(Date.UTC(2026, 11, 1, 10, n, 0, 0));

describe.each(SQL_STORES)('TypeOrmDifyConversationRepository on %s', (_name, makeHarness) => {
  let harness: StoreHarness;
  let store: Store;
  let repo: TypeOrmDifyConversationRepository;

  beforeAll(async () => {
    harness = makeHarness();
    store = await harness.open();
    repo = new TypeOrmDifyConversationRepository(store);
  });

  afterAll(async () => {
    await store?.dataSource.destroy();
    await harness?.cleanup();
  });

  /** A conversation with `turns` messages, one a minute, written as the ingress writes them. */
  async function seed(turns: number, fields: Partial<DifyConversation> = {}) {
    const c = conversation(fields);
    const messages: DifyMessage[] = [];
    for (let i = 0; i < turns; i++) {
      const m = message(c.id, minute(i), { keyId: c.keyId, endUser: c.endUser });
      await repo.saveTurn({ conversation: i === 0 ? c : { id: c.id, updatedAt: minute(i) }, message: m });
      messages.push(m);
    }
    return { conversation: c, messages };
  }

  it('stores a turn and reads the last messages back, oldest first, only for its key and user', async () => {
    const { conversation: c, messages } = await seed(5);
    const history = await repo.history(KEY, 'u1', c.id, 3);
    expect(history?.conversation).toMatchObject({ id: c.id, name: 'New', updatedAt: minute(4) });
    expect(history?.messages.map((m) => m.id)).toEqual(messages.slice(2).map((m) => m.id));
    expect(history?.messages[0]).toEqual(messages[2]);
    expect(await repo.history(KEY, 'someone-else', c.id, 3)).toBeNull();
    expect(await repo.history(OTHER_KEY, 'u1', c.id, 3)).toBeNull();
  });

  it('pages conversations by last_id in each sort order', async () => {
    const user = `pager-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = conversation({ endUser: user, createdAt: minute(i), updatedAt: minute(10 - i) });
      await repo.saveTurn({ conversation: c, message: message(c.id, minute(i), { endUser: user }) });
      ids.push(c.id);
    }
    const first = await repo.conversations(KEY, user, { limit: 2, sortBy: '-updated_at' });
    expect(first.data.map((c) => c.id)).toEqual([ids[0], ids[1]]);
    expect(first.hasMore).toBe(true);
    const second = await repo.conversations(KEY, user, { limit: 2, sortBy: '-updated_at', lastId: ids[1] });
    expect(second.data.map((c) => c.id)).toEqual([ids[2], ids[3]]);
    const last = await repo.conversations(KEY, user, { limit: 2, sortBy: '-updated_at', lastId: ids[3] });
    expect(last).toEqual({ data: [expect.objectContaining({ id: ids[4] })], hasMore: false });
    const byCreated = await repo.conversations(KEY, user, { limit: 10, sortBy: '-created_at' });
    expect(byCreated.data.map((c) => c.id)).toEqual([...ids].reverse());
    const oldestFirst = await repo.conversations(KEY, user, { limit: 3, sortBy: 'created_at', lastId: ids[0] });
    expect(oldestFirst.data.map((c) => c.id)).toEqual([ids[1], ids[2], ids[3]]);
    expect((await repo.conversations(OTHER_KEY, user, { limit: 10, sortBy: '-updated_at' })).data).toEqual([]);
  });

  it('pages messages backwards from first_id', async () => {
    const { conversation: c, messages } = await seed(5);
    const newest = await repo.messages(KEY, 'u1', c.id, { limit: 2 });
    expect(newest?.data.map((m) => m.id)).toEqual([messages[3]?.id, messages[4]?.id]);
    expect(newest?.hasMore).toBe(true);
    const older = await repo.messages(KEY, 'u1', c.id, { limit: 2, firstId: messages[3]?.id });
    expect(older?.data.map((m) => m.id)).toEqual([messages[1]?.id, messages[2]?.id]);
    const oldest = await repo.messages(KEY, 'u1', c.id, { limit: 2, firstId: messages[1]?.id });
    expect(oldest).toEqual({ data: [messages[0]], hasMore: false });
    expect(await repo.messages(KEY, 'u2', c.id, { limit: 2 })).toBeNull();
  });

  it('renames, records feedback and deletes a conversation with its messages', async () => {
    const { conversation: c, messages } = await seed(2);
    expect(await repo.rename(KEY, 'u1', c.id, 'Refunds')).toMatchObject({ id: c.id, name: 'Refunds' });
    expect(await repo.rename(KEY, 'u2', c.id, 'Nope')).toBeNull();
    const target = messages[1]?.id ?? '';
    expect(await repo.feedback(KEY, 'u1', target, 'like', 'great')).toBe(true);
    expect(await repo.feedback(KEY, 'u2', target, 'dislike', null)).toBe(false);
    const page = await repo.messages(KEY, 'u1', c.id, { limit: 10 });
    expect(page?.data[1]).toMatchObject({ feedbackRating: 'like', feedbackContent: 'great' });
    expect(await repo.delete(KEY, 'u2', c.id)).toBe(false);
    expect(await repo.delete(KEY, 'u1', c.id)).toBe(true);
    expect(await repo.history(KEY, 'u1', c.id, 10)).toBeNull();
    const left = await store.dataSource.query(
      'SELECT COUNT(*) AS n FROM dify_messages WHERE conversation_id = $1'.replace(
        '$1',
        store.dialect === 'postgres' ? '$1' : '?',
      ),
      [c.id],
    );
    expect(Number(left[0].n)).toBe(0);
    expect(await repo.delete(KEY, 'u1', c.id)).toBe(false);
  });

  it('keeps an uploaded file for its key and user only', async () => {
    const file = {
      id: randomUUID(),
      keyId: KEY,
      endUser: 'u1',
      name: 'cat.png',
      size: 4,
      extension: 'png',
      mimeType: 'image/png',
      data: Buffer.from([1, 2, 3, 4]).toString('base64'),
      createdAt: minute(0),
    };
    await repo.saveFile(file);
    expect(await repo.file(KEY, 'u1', file.id)).toEqual(file);
    expect(await repo.file(KEY, 'u2', file.id)).toBeNull();
    expect(await repo.file(OTHER_KEY, 'u1', file.id)).toBeNull();
  });

  it('keeps texts that hold a NUL character (PostgreSQL, whose text refuses it, stores U+FFFD)', async () => {
    const nul = (text: string) => `${text}\u0000!`;
    const kept = (text: string) => `${text}${store.dialect === 'postgres' ? '\ufffd' : '\u0000'}!`;
    const c = conversation({ name: nul('name') });
    await repo.saveTurn({
      conversation: c,
      message: message(c.id, minute(0), { query: nul('q'), answer: nul('a'), status: 'error', error: nul('e') }),
    });
    const [turn] = (await repo.messages(KEY, 'u1', c.id, { limit: 1 }))?.data ?? [];
    expect(turn).toMatchObject({ query: kept('q'), answer: kept('a'), error: kept('e') });
    expect(await repo.feedback(KEY, 'u1', turn.id, 'dislike', nul('f'))).toBe(true);
    expect((await repo.messages(KEY, 'u1', c.id, { limit: 1 }))?.data[0]).toMatchObject({ feedbackContent: kept('f') });
    expect((await repo.history(KEY, 'u1', c.id, 1))?.conversation.name).toBe(kept('name'));
    expect(await repo.rename(KEY, 'u1', c.id, nul('renamed'))).toMatchObject({ name: kept('renamed') });
    const file = { id: randomUUID(), keyId: KEY, endUser: 'u1', name: nul('cat.png'), size: 1, extension: 'png' };
    await repo.saveFile({ ...file, mimeType: nul('image/png'), data: 'AA==', createdAt: minute(0) });
    expect(await repo.file(KEY, 'u1', file.id)).toMatchObject({ name: kept('cat.png'), mimeType: kept('image/png') });
  });
});
