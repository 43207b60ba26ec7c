import type { RequestLogFilter, RequestLogSearch } from '../../log-repositories';
import type { RequestLogEntry } from '../../models/request-log';
import type { RequestLogRepository } from '../../repositories';
import { logEntry } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

const minute = (m: number) => new Date(Date.UTC(2030, 2, 1, 12, m));

/** Every page of a search, following the cursor of each last row. */
async function allPages(repo: RequestLogRepository, filter: RequestLogFilter, first: number): Promise<string[][]> {
  const pages: string[][] = [];
  let after: RequestLogSearch['after'];
  for (;;) {
    const page = await repo.search({ filter, first, after });
    pages.push(page.entries.map((e) => e.id));
    const last = page.entries.at(-1);
    if (!page.hasNextPage || !last) return pages;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

export function requestLogSearchContract(store: ContractStore<{ requestLogs: RequestLogRepository }>): void {
  let repo: RequestLogRepository;
  let rows: Record<string, RequestLogEntry>;
  const ids = async (filter: RequestLogFilter) =>
    (await repo.search({ filter, first: 100 })).entries.map((e) => e.id).sort();
  const named = (...names: string[]) => names.map((n) => rows[n].id).sort();

  beforeEach(async () => {
    repo = store.repos.requestLogs;
    const base = { keyId: 'k1', userId: 'u1', teamId: null, status: 200, latencyMs: 100 };
    rows = {
      plain: logEntry(1, { ...base, createdAt: minute(1) }),
      otherKey: logEntry(2, { ...base, keyId: 'k2', userId: 'u2', createdAt: minute(2) }),
      team: logEntry(3, { ...base, keyId: 'k3', userId: null, teamId: 't1', createdAt: minute(3) }),
      model: logEntry(4, {
        ...base,
        requestedModel: 'fast',
        upstreamModel: 'gpt-4o',
        routeName: 'fast',
        channelId: 'ch-2',
        createdAt: minute(4),
      }),
      notFound: logEntry(5, {
        ...base,
        status: 404,
        errorClass: 'model_not_found',
        requestedModel: 'nope',
        upstreamModel: null,
        routeName: null,
        channelId: null,
        createdAt: minute(5),
      }),
      timeout: logEntry(6, {
        ...base,
        status: 504,
        errorClass: 'upstream_timeout',
        latencyMs: 30_000,
        createdAt: minute(6),
      }),
      slow: logEntry(7, { ...base, latencyMs: 2_500, endpoint: 'audio.transcriptions', createdAt: minute(7) }),
      redirect: logEntry(8, { ...base, status: 302, createdAt: minute(8) }),
    };
    await repo.insertMany(Object.values(rows));
  });

  it('finds rows by every filter', async () => {
    expect(await ids({})).toEqual(named(...Object.keys(rows)));
    expect(await ids({ since: minute(6) })).toEqual(named('timeout', 'slow', 'redirect'));
    expect(await ids({ until: minute(2) })).toEqual(named('plain'));
    expect(await ids({ since: minute(2), until: minute(4) })).toEqual(named('otherKey', 'team'));
    expect(await ids({ keyId: 'k2' })).toEqual(named('otherKey'));
    expect(await ids({ userId: 'u2' })).toEqual(named('otherKey'));
    expect(await ids({ teamId: 't1' })).toEqual(named('team'));
    expect(await ids({ model: 'fast' })).toEqual(named('model'));
    expect(await ids({ model: 'gpt-4o' })).toEqual(named('model'));
    expect(await ids({ requestedModel: 'gpt-4o' })).toEqual([]);
    expect(await ids({ upstreamModel: 'gpt-4o' })).toEqual(named('model'));
    expect(await ids({ requestedModel: 'nope' })).toEqual(named('notFound'));
    expect(await ids({ channelId: 'ch-2' })).toEqual(named('model'));
    expect(await ids({ routeName: 'fast' })).toEqual(named('model'));
    expect(await ids({ endpoint: 'audio.transcriptions' })).toEqual(named('slow'));
    expect(await ids({ status: 404 })).toEqual(named('notFound'));
    expect(await ids({ statusClass: 4 })).toEqual(named('notFound'));
    expect(await ids({ statusClass: 5 })).toEqual(named('timeout'));
    expect(await ids({ statusClass: 3 })).toEqual(named('redirect'));
    expect(await ids({ statusClass: 2 })).toEqual(named('plain', 'otherKey', 'team', 'model', 'slow'));
    expect(await ids({ minLatencyMs: 2_500 })).toEqual(named('timeout', 'slow'));
    expect(await ids({ maxLatencyMs: 2_500 })).toEqual(named(...Object.keys(rows).filter((n) => n !== 'timeout')));
    expect(await ids({ minLatencyMs: 1_000, maxLatencyMs: 3_000 })).toEqual(named('slow'));
    expect(await ids({ errorClass: 'upstream_timeout' })).toEqual(named('timeout'));
    expect(await ids({ requestId: rows['team'].id })).toEqual(named('team'));
    expect(await ids({ requestId: 'req_missing' })).toEqual([]);
    expect(await ids({ userId: 'u1', statusClass: 5, since: minute(1) })).toEqual(named('timeout'));
  });

  it('returns whole rows, newest first', async () => {
    const page = await repo.search({ filter: {}, first: 3 });
    expect(page.entries).toEqual([rows['redirect'], rows['slow'], rows['timeout']]);
    expect(page.hasNextPage).toBe(true);
    const last = await repo.search({ filter: { keyId: 'k2' }, first: 1 });
    expect(last).toEqual({ entries: [rows['otherKey']], hasNextPage: false });
  });

  it('pages through rows created at the same moment without losing or repeating one', async () => {
    const tied = Array.from({ length: 7 }, (_, i) => logEntry(100 + i, { keyId: 'tied', createdAt: minute(30) }));
    const around = [
      logEntry(110, { keyId: 'tied', createdAt: minute(31) }),
      logEntry(111, { keyId: 'tied', createdAt: minute(29) }),
    ];
    await repo.insertMany([...tied, ...around]);
    const pages = await allPages(repo, { keyId: 'tied' }, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2, 1]);
    const expected = [around[0], ...[...tied].sort((a, b) => (a.id < b.id ? 1 : -1)), around[1]].map((e) => e.id);
    expect(pages.flat()).toEqual(expected);
  });

  it('keeps the pages behind a cursor stable while newer rows arrive', async () => {
    const first = await repo.search({ filter: {}, first: 3 });
    const last = first.entries[2];
    await repo.insertMany([logEntry(200, { createdAt: minute(50) }), logEntry(201, { createdAt: minute(51) })]);
    const second = await repo.search({ filter: {}, first: 3, after: { createdAt: last.createdAt, id: last.id } });
    expect(second.entries.map((e) => e.id)).toEqual([rows['notFound'].id, rows['model'].id, rows['team'].id]);
  });

  it('narrows to the rows the caller may read inside the query, so that pages stay full', async () => {
    const mine = Array.from({ length: 3 }, (_, i) =>
      logEntry(300 + i, { userId: 'me', createdAt: minute(40 + i * 2) }),
    );
    const theirs = Array.from({ length: 6 }, (_, i) =>
      logEntry(310 + i, { userId: 'them', createdAt: minute(41 + i) }),
    );
    await repo.insertMany([...mine, ...theirs]);
    const visibleTo = { userIds: ['me'], teamIds: [] };
    const page = await repo.search({ filter: { visibleTo }, first: 2 });
    expect(page.entries.map((e) => e.id)).toEqual([mine[2].id, mine[1].id]);
    expect(page.hasNextPage).toBe(true);
    expect((await allPages(repo, { visibleTo }, 2)).flat()).toEqual([mine[2].id, mine[1].id, mine[0].id]);
    expect(await ids({ visibleTo: { userIds: [], teamIds: ['t1'] } })).toEqual(named('team'));
    expect(await ids({ visibleTo: { userIds: [], teamIds: [] } })).toEqual([]);
    expect(await ids({ visibleTo, userId: 'them' })).toEqual([]);
  });
}
