import {
  describeWithPostgres,
  POSTGRES_URL,
  runPostgres,
  startMockUpstream,
  type MockUpstream,
} from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';

const OWNER = { email: 'owner@example.com', password: 'e2e-owner-password' };
const MEMBER = { email: 'mia@example.com', password: 'e2e-member-password' };
const MEMBER_KEY = 'sk-mia-0123456789abcdefghijklmn';
const OTHER_KEY = 'sk-ops-0123456789abcdefghijklmn';
const SEARCH = `query($filter: RequestLogFilter, $first: Int, $after: String) {
  requestLogs(filter: $filter, first: $first, after: $after) { nodes { id userId } pageInfo { hasNextPage endCursor } } }`;
const ONE = 'query($id: ID) { requestLogs(filter: { requestId: $id }) { nodes { requestedModel totalTokens } } }';
const MODEL = 'query($model: String) { requestLogs(filter: { model: $model }) { nodes { id } } }';
const READ = 'query($id: ID!) { requestLog(id: $id) { id body { request response } } }';

interface Page {
  nodes: { id: string; userId: string | null }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Search, members' narrowing and captured bodies on PostgreSQL, through the built gateway. */
describeWithPostgres('log management on PostgreSQL (built gateway, openai SDK)', () => {
  const database = `synapse_logs_e2e_${process.pid}`;
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;

  beforeAll(async () => {
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    upstream = await startMockUpstream();
    dataDir = tempDir();
    gateway = await startGateway({
      dataDir,
      env: {
        DATABASE_URL: POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`),
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        HEALTH_CHECK_INTERVAL_MS: '0',
        LOG_FLUSH_INTERVAL_MS: '50',
      },
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
users:
  - { email: ${MEMBER.email}, role: member, password: ${MEMBER.password} }
routes:
  - { name: "gpt-4o*", targets: [{ channel: mock }] }
keys:
  - { name: mia, key: ${MEMBER_KEY}, user: ${MEMBER.email}, captureBodies: true }
  - { name: ops, key: ${OTHER_KEY} }
`,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) removeDir(dataDir);
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
  });

  const ask = async (key: string, content: string, model = 'gpt-4o-mini') => {
    const client = new OpenAI({ apiKey: key, baseURL: gateway.baseURL, maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content }] })
      .withResponse();
    return response.headers.get('x-request-id') as string;
  };

  async function allPages(token: string): Promise<Page['nodes']> {
    const nodes: Page['nodes'] = [];
    let after: string | null = null;
    do {
      const body = await graphql(gateway.url, SEARCH, token, { first: 2, after });
      expect(body.errors).toBeUndefined();
      const page = body.data?.['requestLogs'] as Page;
      nodes.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return nodes;
  }

  it("shows members their own calls only, page by page, with their bodies; others' are NOT_FOUND", async () => {
    const mine = [await ask(MEMBER_KEY, 'mine 1 for mia@example.com'), await ask(MEMBER_KEY, 'mine 2')];
    const theirs = [await ask(OTHER_KEY, 'theirs 1'), await ask(OTHER_KEY, 'theirs 2'), await ask(OTHER_KEY, 'x')];
    const owner = await accessToken(gateway.url, OWNER.email, OWNER.password);
    const member = await accessToken(gateway.url, MEMBER.email, MEMBER.password);

    const deadline = Date.now() + 5000;
    let everything: Page['nodes'] = [];
    while (everything.length < 5 && Date.now() < deadline) everything = await allPages(owner);
    expect(everything.map((n) => n.id)).toEqual([...theirs].reverse().concat([...mine].reverse()));

    const own = await allPages(member);
    expect(own.map((n) => n.id)).toEqual([...mine].reverse());
    expect(new Set(own.map((n) => n.userId)).size).toBe(1);

    const read = async (id: string) => {
      for (const end = Date.now() + 5000; ; ) {
        const body = await graphql(gateway.url, READ, member, { id });
        const entry = body.data?.['requestLog'] as { body: { request: string } | null } | undefined;
        if (!entry || entry.body || Date.now() > end) return body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const first = await read(mine[0]);
    expect((first.data?.['requestLog'] as { body: { request: string } }).body.request).toContain(
      '"mine 1 for [redacted]"',
    );
    const other = await read(theirs[0]);
    expect(other.errors?.map((e) => e.extensions?.['code'])).toEqual(['NOT_FOUND']);
  });
  it('logs a call whose model name holds a NUL, which PostgreSQL text refuses, the NUL replaced, and finds it', async () => {
    // A pattern route passes the name upstream; before, the row was refused and the call unbilled.
    const id = await ask(OTHER_KEY, 'nul', 'gpt-4o-mini\u0000x');
    const owner = await accessToken(gateway.url, OWNER.email, OWNER.password);
    let nodes: unknown[] = [];
    for (const end = Date.now() + 5000; nodes.length === 0 && Date.now() < end; ) {
      const body = await graphql(gateway.url, ONE, owner, { id });
      expect(body.errors).toBeUndefined();
      nodes = (body.data?.['requestLogs'] as { nodes: unknown[] }).nodes;
      if (nodes.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(nodes).toEqual([{ requestedModel: 'gpt-4o-mini\ufffdx', totalTokens: 17 }]);
    // Searches with a NUL were an INTERNAL_SERVER_ERROR: PostgreSQL refused the parameter.
    const byModel = await graphql(gateway.url, MODEL, owner, { model: 'gpt-4o-mini\u0000x' });
    expect(byModel.data?.['requestLogs']).toEqual({ nodes: [{ id }] });
    const missing = await graphql(gateway.url, READ, owner, { id: `${id}\u0000` });
    expect(missing.errors?.map((e) => e.extensions?.['code'])).toEqual(['NOT_FOUND']);
    expect(gateway.output()).not.toMatch(/refused|invalid byte sequence/);
  });
});
