import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { startAdminApiTestApp, type AdminApiTestApp } from '../testing/admin-api-test-app';
import { RequestLogsResolver } from './request-logs.resolver';

const SEARCH = `query($filter: RequestLogFilter, $first: Int, $after: String) {
  requestLogs(filter: $filter, first: $first, after: $after) {
    nodes { id userId status latencyMs }
    pageInfo { hasNextPage endCursor }
  }
}`;

function entry(i: number, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id: `req_${String(i).padStart(3, '0')}`,
    createdAt: new Date(Date.UTC(2030, 0, 1, 0, i)),
    endpoint: 'chat.completions',
    keyId: 'key-a',
    userId: 'id-operator',
    teamId: null,
    requestedModel: 'gpt-4o-mini',
    routeName: 'gpt-4o-mini',
    channelId: 'ch-1',
    upstreamModel: 'gpt-4o-mini',
    attempts: 1,
    stream: false,
    status: 200,
    latencyMs: 100 + i,
    ttftMs: null,
    promptTokens: 10,
    completionTokens: 2,
    totalTokens: 12,
    cachedTokens: null,
    usageSource: 'upstream',
    costUsd: null,
    errorClass: null,
    errorMessage: null,
    ...overrides,
  };
}

interface Page {
  nodes: { id: string; userId: string | null; status: number }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The request log over GraphQL: search, paging, members' narrowing, bodies and bad input. */
describe(RequestLogsResolver.name, () => {
  let t: AdminApiTestApp;
  const search = async (role: string, variables: Record<string, unknown>) => {
    const response = await t.graphql(SEARCH, { token: await t.tokenFor(role), variables });
    return { page: response.data?.['requestLogs'] as Page | undefined, errors: response.errors };
  };
  const codeOf = async (role: string, variables: Record<string, unknown>) =>
    (await search(role, variables)).errors?.map((e) => e.extensions?.['code']);

  beforeAll(async () => {
    t = await startAdminApiTestApp();
    const rows: RequestLogEntry[] = [];
    // 20 calls of the operator, and every fourth minute one of the member, newest last.
    for (let i = 0; i < 24; i++) rows.push(entry(i, i % 4 === 3 ? { userId: 'id-member', keyId: 'key-m' } : {}));
    rows.push(
      entry(30, {
        status: 504,
        errorClass: 'upstream_timeout',
        latencyMs: 30_000,
        endpoint: 'audio.transcriptions',
        requestHeaders: { 'user-agent': 'OpenAI/Python 1.99.0', 'x-stainless-lang': 'python' },
      }),
    );
    await t.requestLogs.insertMany(rows);
    await t.requestBodies.insertMany([
      {
        requestId: 'req_030',
        createdAt: rows[24].createdAt,
        request: '{"model":"gpt-4o-mini"}',
        response: 'partial',
        requestTruncated: false,
        responseTruncated: true,
      },
      {
        requestId: 'req_023',
        createdAt: rows[23].createdAt,
        request: '{"model":"mine"}',
        response: 'hi',
        requestTruncated: false,
        responseTruncated: false,
      },
    ]);
  });

  afterAll(() => t.close());

  it('pages through everything for staff, newest first, with opaque cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const { page, errors } = await search('auditor', { first: 10, after });
      expect(errors).toBeUndefined();
      seen.push(...(page?.nodes ?? []).map((n) => n.id));
      if (!page?.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(25);
    expect(seen[0]).toBe('req_030');
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('shows members only their own calls, with full pages', async () => {
    const { page } = await search('member', { first: 3 });
    expect(page?.nodes.map((n) => n.id)).toEqual(['req_023', 'req_019', 'req_015']);
    expect(page?.nodes.every((n) => n.userId === 'id-member')).toBe(true);
    expect(page?.pageInfo.hasNextPage).toBe(true);
    const theirs = await search('member', { filter: { userId: 'id-operator' } });
    expect(theirs.page?.nodes).toEqual([]);
  });

  it('filters by status class and latency', async () => {
    const { page } = await search('operator', { filter: { statusClass: '5xx', minLatencyMs: 1000 } });
    expect(page?.nodes.map((n) => n.id)).toEqual(['req_030']);
  });

  it('filters by the API called', async () => {
    const { page } = await search('operator', { filter: { endpoint: 'audio.transcriptions' } });
    expect(page?.nodes.map((n) => n.id)).toEqual(['req_030']);
    const chat = await search('operator', { filter: { endpoint: 'chat.completions' }, first: 100 });
    expect(chat.page?.nodes).toHaveLength(24);
  });

  it("reads one call with its bodies, and hides other people's calls from members", async () => {
    const query = `query($id: ID!) { requestLog(id: $id) { id body { request response truncated responseTruncated } } }`;
    const owner = await t.graphql(query, { token: await t.tokenFor('owner'), variables: { id: 'req_030' } });
    expect(owner.data?.['requestLog']).toEqual({
      id: 'req_030',
      body: { request: '{"model":"gpt-4o-mini"}', response: 'partial', truncated: true, responseTruncated: true },
    });
    const none = await t.graphql(query, { token: await t.tokenFor('owner'), variables: { id: 'req_001' } });
    expect(none.data?.['requestLog']).toEqual({ id: 'req_001', body: null });
    const member = await t.tokenFor('member');
    const own = await t.graphql(query, { token: member, variables: { id: 'req_023' } });
    expect(own.data?.['requestLog']).toMatchObject({ body: { response: 'hi' } });
    const other = await t.graphql(query, { token: member, variables: { id: 'req_030' } });
    expect(other.errors?.map((e) => e.extensions?.['code'])).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(other.data)).not.toContain('partial');
  });

  it('reads the kept request headers of one call as name and value, null for calls without them', async () => {
    const query = `query($id: ID!) { requestLog(id: $id) { id requestHeaders { name value } } }`;
    const token = await t.tokenFor('operator');
    const kept = await t.graphql(query, { token, variables: { id: 'req_030' } });
    expect(kept.data?.['requestLog']).toEqual({
      id: 'req_030',
      requestHeaders: [
        { name: 'user-agent', value: 'OpenAI/Python 1.99.0' },
        { name: 'x-stainless-lang', value: 'python' },
      ],
    });
    const none = await t.graphql(query, { token, variables: { id: 'req_001' } });
    expect(none.data?.['requestLog']).toEqual({ id: 'req_001', requestHeaders: null });
    const listed = await t.graphql('{ requestLogs(first: 1) { nodes { requestHeaders { name } } } }', { token });
    expect(listed.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps bodies out of the list: they are read one call at a time', async () => {
    const listed = await t.graphql('{ requestLogs(first: 1) { nodes { id body { response } } } }', {
      token: await t.tokenFor('owner'),
    });
    expect(listed.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses bad pages, cursors and impossible ranges with BAD_USER_INPUT', async () => {
    const bad = ['BAD_USER_INPUT'];
    expect(await codeOf('owner', { first: 501 })).toEqual(bad);
    expect(await codeOf('owner', { first: 0 })).toEqual(bad);
    expect(await codeOf('owner', { after: 'not-a-cursor!' })).toEqual(bad);
    expect(await codeOf('owner', { after: Buffer.from('["yesterday","x"]').toString('base64url') })).toEqual(bad);
    expect(await codeOf('owner', { filter: { since: '2030-01-02T00:00:00Z', until: '2030-01-01T00:00:00Z' } })).toEqual(
      bad,
    );
    expect(await codeOf('owner', { filter: { minLatencyMs: 10, maxLatencyMs: 5 } })).toEqual(bad);
    expect(await codeOf('owner', { filter: { minLatencyMs: -1 } })).toEqual(bad);
    expect(await codeOf('owner', { filter: { statusClass: '6xx' } })).toEqual(bad);
    expect(await codeOf('owner', { filter: { status: 404, statusClass: '5xx' } })).toEqual(bad);
    expect(await codeOf('owner', { filter: { status: 42 } })).toEqual(bad);
    expect(await codeOf('owner', { filter: { keyId: '' } })).toEqual(bad);
    expect(await codeOf('owner', { filter: { endpoint: 'chat' } })).toEqual(bad);
    const first = await search('owner', { first: 1 });
    expect(await codeOf('owner', { first: 1, after: first.page?.pageInfo.endCursor })).toBeUndefined();
  });
});
