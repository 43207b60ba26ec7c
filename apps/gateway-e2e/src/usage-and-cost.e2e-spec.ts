import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql, type GqlBody } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import type { WithMock } from './support/openai-calls';
import { readRequestLog } from './support/request-log';

const OWNER = { email: 'owner@example.com', password: 'e2e-owner-password' };
const MEMBER = { email: 'dev@example.com', password: 'e2e-member-password' };

const SERIES = `query($range: UsageRangeInput!, $granularity: UsageGranularity!, $groupBy: UsageGroupBy!, $filter: UsageFilterInput) {
  usageSeries(range: $range, granularity: $granularity, groupBy: $groupBy, filter: $filter) {
    bucketStart group requests errors promptTokens completionTokens cachedTokens costUsd latencyP50Ms ttftAvgMs
  } }`;
const TOP = `query($range: UsageRangeInput!, $by: UsageGroupBy!, $metric: UsageMetric!) {
  usageTop(range: $range, by: $by, metric: $metric, limit: 5) { group requests costUsd totalTokens } }`;

interface Point {
  group: string | null;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costUsd: number;
}

/** Sums points per group: a series over a range gives one point per bucket and group. */
function byGroup(points: Point[]): Map<string | null, Point> {
  const sums = new Map<string | null, Point>();
  for (const point of points) {
    const sum = sums.get(point.group);
    if (!sum) sums.set(point.group, { ...point });
    else
      for (const field of [
        'requests',
        'errors',
        'promptTokens',
        'completionTokens',
        'cachedTokens',
        'costUsd',
      ] as const)
        sum[field] += point[field];
  }
  return sums;
}

/** Polls for up to 20 s: calls reach the rollups through the log writer's batches, then the next job run. */
async function settled(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Usage rollups, their GraphQL queries and CSV export, and runtime model prices, on the built gateway. */
describe('usage and cost (built gateway, openai SDK)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;
  let owner: string;
  let member: string;
  let memberId: string;
  let teamId: string;
  const keys: Record<'team' | 'member', { id: string; client: OpenAI }> = {} as never;
  const started = new Date(Date.now() - 60_000);
  const range = () => ({ from: started.toISOString(), to: new Date(Date.now() + 120_000).toISOString() });

  async function admin<T>(query: string, variables: Record<string, unknown>, token = owner): Promise<T> {
    const body = await graphql(gateway.url, query, token, variables);
    expect(body.errors).toBeUndefined();
    return Object.values(body.data ?? {})[0] as T;
  }
  const series = (variables: Record<string, unknown>, token = owner) =>
    graphql(gateway.url, SERIES, token, { range: range(), granularity: 'MINUTE', groupBy: 'NONE', ...variables });
  const points = (body: GqlBody) => {
    expect(body.errors).toBeUndefined();
    return (body.data?.['usageSeries'] ?? []) as Point[];
  };
  const chat = (client: OpenAI, model: string, mock: Record<string, unknown> = {}) =>
    client.chat.completions
      .create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        mock,
      } as WithMock<OpenAI.ChatCompletionCreateParamsNonStreaming>)
      .withResponse();

  beforeAll(async () => {
    upstream = await startMockUpstream();
    dataDir = tempDir();
    gateway = await startGateway({
      dataDir,
      env: {
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        HEALTH_CHECK_INTERVAL_MS: '0',
        LOG_FLUSH_INTERVAL_MS: '50',
        USAGE_ROLLUP_INTERVAL_MS: '250',
      },
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini, my-model] }
prices:
  "my-model": { input: 1, output: 2 }
`,
    });
    owner = await accessToken(gateway.url, OWNER.email, OWNER.password);
    teamId = (
      await admin<{ id: string }>('mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }', {
        input: { name: 'research' },
      })
    ).id;
    memberId = (
      await admin<{ id: string }>('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', {
        input: { email: MEMBER.email, role: 'member', password: MEMBER.password },
      })
    ).id;
    member = await accessToken(gateway.url, MEMBER.email, MEMBER.password);
    const createKey = async (input: Record<string, unknown>) => {
      const created = await admin<{ secret: string; key: { id: string } }>(
        'mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret key { id } } }',
        { input },
      );
      return {
        id: created.key.id,
        client: new OpenAI({ apiKey: created.secret, baseURL: gateway.baseURL, maxRetries: 0 }),
      };
    };
    keys.team = await createKey({ name: 'research-key', teamId });
    keys.member = await createKey({ name: 'dev-key', userId: memberId });

    // The team's key: three answered calls (one with cached prompt tokens) and one refused upstream.
    await chat(keys.team.client, 'gpt-4o-mini');
    await chat(keys.team.client, 'gpt-4o-mini', { cachedTokens: 4 });
    await chat(keys.team.client, 'gpt-4o-mini');
    await chat(keys.team.client, 'gpt-4o-mini', { status: 400 }).catch(() => undefined);
    // The member's key: a call and a stream to the priced model.
    await chat(keys.member.client, 'my-model');
    const stream = await keys.member.client.chat.completions.create({
      model: 'my-model',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    for await (const chunk of stream) void chunk;
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) removeDir(dataDir);
  });

  it('logs the key team and the cached prompt tokens of every call', async () => {
    await settled(async () => expect((await readRequestLog(dataDir)).length).toBe(6));
    const log = await readRequestLog(dataDir);
    const team = log.filter((entry) => entry.keyId === keys.team.id);
    expect(team).toHaveLength(4);
    expect(team.every((entry) => entry.teamId === teamId)).toBe(true);
    expect(team.map((entry) => entry.cachedTokens).filter((cached) => cached !== null)).toEqual([4]);
    const mine = log.filter((entry) => entry.keyId === keys.member.id);
    expect(mine.map((entry) => [entry.userId, entry.teamId])).toEqual([
      [memberId, null],
      [memberId, null],
    ]);
  });

  it('answers series and top lists from the rollups with exactly the calls made', async () => {
    const log = await readRequestLog(dataDir);
    const sum = (keyId: string, field: 'promptTokens' | 'completionTokens' | 'costUsd') =>
      log.filter((entry) => entry.keyId === keyId).reduce((total, entry) => total + (entry[field] ?? 0), 0);
    await settled(async () => {
      const perKey = byGroup(points(await series({ groupBy: 'KEY' })));
      expect(perKey.get(keys.team.id)).toMatchObject({ requests: 4, errors: 1, cachedTokens: 4 });
      expect(perKey.get(keys.member.id)).toMatchObject({ requests: 2, errors: 0, cachedTokens: 0 });
    });
    const perKey = byGroup(points(await series({ groupBy: 'KEY', granularity: 'HOUR' })));
    for (const key of [keys.team.id, keys.member.id]) {
      expect(perKey.get(key)?.promptTokens).toBe(sum(key, 'promptTokens'));
      expect(perKey.get(key)?.completionTokens).toBe(sum(key, 'completionTokens'));
      expect(perKey.get(key)?.costUsd).toBeCloseTo(sum(key, 'costUsd'), 12);
    }
    // my-model is priced by the config file: $1 and $2 per million tokens.
    expect(perKey.get(keys.member.id)?.costUsd).toBeGreaterThan(0);

    const team = byGroup(points(await series({ granularity: 'DAY', filter: { teamId } })));
    expect(team.get(null)?.requests).toBe(4);
    const top = await admin<{ group: string; requests: number }[]>(TOP, {
      range: range(),
      by: 'MODEL',
      metric: 'REQUESTS',
    });
    expect(top.map((entry) => [entry.group, entry.requests])).toEqual([
      ['gpt-4o-mini', 4],
      ['my-model', 2],
    ]);
  });

  it('shows a member only their own usage and refuses groupings it cannot narrow', async () => {
    const mine = byGroup(points(await series({ granularity: 'HOUR' }, member)));
    expect([...mine.values()].map((point) => point.requests)).toEqual([2]);
    const asUser = byGroup(points(await series({ groupBy: 'USER' }, member)));
    expect([...asUser.keys()]).toEqual([memberId]);
    const top = await admin<{ group: string; requests: number }[]>(
      TOP,
      { range: range(), by: 'MODEL', metric: 'REQUESTS' },
      member,
    );
    expect(top.map((entry) => [entry.group, entry.requests])).toEqual([['my-model', 2]]);

    for (const variables of [
      { groupBy: 'KEY' },
      { filter: { keyId: keys.team.id } },
      { filter: { userId: 'someone-else' } },
    ]) {
      const body = await series(variables, member);
      expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
  });

  it('refuses bad ranges and filters with BAD_USER_INPUT and a clear message', async () => {
    const backwards = await series({ range: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } });
    expect(backwards.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(backwards.errors?.[0]?.message).toContain('must be before');
    const tooLong = await series({ range: { from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' } });
    expect(tooLong.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(tooLong.errors?.[0]?.message).toContain('2880 minute buckets is more than 1500');
    const twoFilters = await series({ filter: { keyId: keys.team.id, teamId } });
    expect(twoFilters.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const mismatch = await series({ groupBy: 'CHANNEL', filter: { keyId: keys.team.id } });
    expect(mismatch.errors?.[0]?.message).toContain('cannot be combined with filter keyId');
  });

  it('exports the same numbers as CSV with the same token and rules', async () => {
    const { from, to } = range();
    const url = (query: string) => `${gateway.url}/api/usage/export.csv?from=${from}&to=${to}&${query}`;
    const response = await fetch(url('granularity=day&groupBy=key'), { headers: { authorization: `Bearer ${owner}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="usage-day-key-.*\.csv"$/);
    const [header, ...rows] = (await response.text()).trim().split('\r\n');
    const columns = header.split(',');
    const requests = new Map(
      rows.map((row) => {
        const cells = row.split(',');
        return [cells[columns.indexOf('group')], Number(cells[columns.indexOf('requests')])];
      }),
    );
    expect(requests.get(keys.team.id)).toBe(4);
    expect(requests.get(keys.member.id)).toBe(2);

    const own = await fetch(url('granularity=hour&groupBy=user'), { headers: { authorization: `Bearer ${member}` } });
    const ownRows = (await own.text()).trim().split('\r\n').slice(1);
    expect(ownRows.map((row) => row.split(',')[1])).toEqual([memberId]);
    const forbidden = await fetch(url('groupBy=key'), { headers: { authorization: `Bearer ${member}` } });
    expect(forbidden.status).toBe(403);
    expect((await fetch(url('groupBy=key'))).status).toBe(401);
    const bad = await fetch(url('granularity=week'), { headers: { authorization: `Bearer ${owner}` } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('granularity: one of minute, hour, day');
  });

  it('charges the next call at a price set at runtime, keeps the old costs, and keeps the history', async () => {
    const before = await chat(keys.member.client, 'my-model');
    const set = await admin<{ source: string; active: boolean }>(
      'mutation($input: SetModelPriceInput!) { setModelPrice(input: $input) { model source active input output } }',
      { input: { model: 'my-model', input: 100, output: 200 } },
    );
    expect(set).toMatchObject({ source: 'runtime', active: true });
    const after = await chat(keys.member.client, 'my-model');

    await settled(async () => {
      const log = await readRequestLog(dataDir);
      const cost = (id: string) => log.find((entry) => entry.id === id)?.costUsd;
      // 11 prompt and 6 completion tokens: $1/$2 per million before, $100/$200 after.
      expect(cost(before.request_id as string)).toBeCloseTo((11 * 1 + 6 * 2) / 1e6, 12);
      expect(cost(after.request_id as string)).toBeCloseTo((11 * 100 + 6 * 200) / 1e6, 12);
    });

    const prices = await admin<{ model: string; source: string; active: boolean }[]>(
      '{ modelPrices { model source active } }',
      {},
    );
    expect(prices.filter((price) => price.model === 'my-model')).toEqual([
      { model: 'my-model', source: 'runtime', active: true },
      { model: 'my-model', source: 'config', active: false },
    ]);
    expect(prices.some((price) => price.model === 'gpt-4o' && price.source === 'default')).toBe(true);

    await admin('mutation { deleteModelPrice(model: "my-model") { deleted } }', {});
    const history = await admin<{ input: number; deleted: boolean; createdBy: string }[]>(
      '{ modelPriceHistory(model: "my-model") { input deleted createdBy } }',
      {},
    );
    expect(history).toEqual([
      { input: 0, deleted: true, createdBy: OWNER.email },
      { input: 100, deleted: false, createdBy: OWNER.email },
    ]);
    const restored = await chat(keys.member.client, 'my-model');
    await settled(async () => {
      const entry = (await readRequestLog(dataDir)).find((e) => e.id === restored.request_id);
      expect(entry?.costUsd).toBeCloseTo((11 * 1 + 6 * 2) / 1e6, 12);
    });

    const refused = await graphql(
      gateway.url,
      'mutation { setModelPrice(input: { model: "my-model", input: -1, output: 2 }) { model } }',
      owner,
    );
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const memberSets = await graphql(
      gateway.url,
      'mutation { setModelPrice(input: { model: "my-model", input: 0, output: 0 }) { model } }',
      member,
    );
    expect(memberSets.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
