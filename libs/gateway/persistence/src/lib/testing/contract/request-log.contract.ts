import { LOG_NAME_MAX_CHARS } from '../../models/request-log';
import { RequestLogRowRefused, type RequestLogRepository } from '../../repositories';
import { keptWithNul, logEntry } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

export function requestLogContract(store: ContractStore<{ requestLogs: RequestLogRepository }>): void {
  let repo: RequestLogRepository;
  beforeEach(() => {
    repo = store.repos.requestLogs;
  });

  it('writes request logs in batches larger than one statement and reads them newest first', async () => {
    const entries = Array.from({ length: 450 }, (_, i) => logEntry(i));
    await repo.insertMany(entries);
    expect(await repo.count()).toBe(450);
    const newest = await repo.find({ limit: 3 });
    expect(newest.map((e) => e.id)).toEqual([entries[449].id, entries[448].id, entries[447].id]);
    expect(newest[0]).toEqual(entries[449]);
    expect(await repo.findById(entries[0].id)).toEqual(entries[0]);
    const since = await repo.find({ since: entries[440].createdAt, limit: 1000 });
    expect(since).toHaveLength(10);
  });

  it('sums the cost of logged calls per key and per user since a moment', async () => {
    const at = (day: number) => new Date(Date.UTC(2031, 4, day, 12));
    await repo.insertMany([
      logEntry(5000, { keyId: 'spend-a', userId: 'spend-u', costUsd: 0.25, createdAt: at(2) }),
      logEntry(5001, { keyId: 'spend-a', userId: 'spend-u', costUsd: 0.5, createdAt: at(3) }),
      logEntry(5002, { keyId: 'spend-b', userId: 'spend-u', costUsd: 1e-6, createdAt: at(3) }),
      logEntry(5003, { keyId: 'spend-b', userId: null, costUsd: null, createdAt: at(3) }),
      logEntry(5004, { keyId: 'spend-a', userId: 'spend-u', costUsd: 9, createdAt: at(1) }),
    ]);
    const spend = await repo.spendSince(new Date(Date.UTC(2031, 4, 2)));
    const find = (scope: string, id: string) => spend.find((s) => s.scope === scope && s.id === id)?.costUsd;
    expect(find('key', 'spend-a')).toBeCloseTo(0.75, 10);
    expect(find('key', 'spend-b')).toBeCloseTo(1e-6, 12);
    expect(find('user', 'spend-u')).toBeCloseTo(0.750001, 10);
    expect(spend).toHaveLength(3);
    expect((await repo.find({ keyId: 'spend-a', limit: 1 }))[0].costUsd).toBe(0.5);
  });

  it('writes a batch all or nothing', async () => {
    await repo.insertMany([logEntry(999)]);
    // A row the table refuses (no status) fails the whole batch, the valid row before it included.
    const invalid = { ...logEntry(1000), status: null as unknown as number };
    await expect(repo.insertMany([logEntry(1001), invalid])).rejects.toThrow(RequestLogRowRefused);
    expect(await repo.count()).toBe(1);
  });

  it('keeps a call whose model and route names are longer than their columns, the names cut', async () => {
    const long = (prefix: string) => prefix + 'x'.repeat(LOG_NAME_MAX_CHARS * 2);
    const entry = logEntry(1200, {
      requestedModel: long('gpt-'),
      upstreamModel: long('up-'),
      routeName: long('route-'),
    });
    await repo.insertMany([entry]);
    expect(await repo.findById(entry.id)).toMatchObject({
      requestedModel: entry.requestedModel?.slice(0, LOG_NAME_MAX_CHARS),
      upstreamModel: entry.upstreamModel?.slice(0, LOG_NAME_MAX_CHARS),
      routeName: entry.routeName?.slice(0, LOG_NAME_MAX_CHARS),
    });
  });

  it('keeps a call whose texts hold a NUL character (PostgreSQL stores U+FFFD for it), and finds it', async () => {
    // PostgreSQL's text refuses U+0000; a caller chooses the model name, an upstream the error.
    const entry = logEntry(1300, {
      requestedModel: 'gpt-4o\u0000mini',
      upstreamModel: '\u0000up',
      routeName: 'route\u0000',
      errorClass: 'upstream_error',
      errorMessage: 'said \u0000 and \u0000',
    });
    await repo.insertMany([entry]);
    expect(await repo.findById(entry.id)).toMatchObject({
      requestedModel: keptWithNul('gpt-4o\u0000mini'),
      upstreamModel: keptWithNul('\u0000up'),
      routeName: keptWithNul('route\u0000'),
      errorMessage: keptWithNul('said \u0000 and \u0000'),
    });
    expect((await repo.find({ keyId: entry.keyId ?? undefined, limit: 1000 })).map((e) => e.id)).toContain(entry.id);
  });

  it('skips entries already written when a batch is sent again (its answer lost with the connection)', async () => {
    const [a, b, c] = [logEntry(999), logEntry(1000), logEntry(1001)];
    await repo.insertMany([a, b]);
    await repo.insertMany([a, b, c]);
    expect(await repo.count()).toBe(3);
    expect(await repo.findById(c.id)).toEqual(c);
  });
}
