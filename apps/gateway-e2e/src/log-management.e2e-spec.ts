import { openStore, TypeOrmRequestBodyRepository } from '@synapse/gateway/persistence';
import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql as gqlRequest } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';

const OWNER = { email: 'owner@example.com', password: 'e2e-owner-password' };
const CREATE_KEY = 'mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret key { id } } }';
const READ_LOG = `query($id: ID!) { requestLog(id: $id) {
  id keyId status stream requestedModel
  body { request response truncated requestTruncated responseTruncated } } }`;
const SEARCH = `query($filter: RequestLogFilter, $first: Int, $after: String) {
  requestLogs(filter: $filter, first: $first, after: $after) { nodes { id keyId status } pageInfo { hasNextPage endCursor } } }`;

interface Logged {
  id: string;
  keyId: string;
  status: number;
  stream: boolean;
  requestedModel: string;
  body: {
    request: string | null;
    response: string | null;
    truncated: boolean;
    requestTruncated: boolean;
    responseTruncated: boolean;
  } | null;
}

/** Body capture, redaction, the size cap and log search on the built gateway, called with the openai SDK. */
describe('log management (built gateway, openai SDK)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;
  let owner: string;
  let capturing: { secret: string; id: string };
  let plain: { secret: string; id: string };

  async function admin<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = await gqlRequest(gateway.url, query, owner, variables);
    expect(body.errors).toBeUndefined();
    return Object.values(body.data ?? {})[0] as T;
  }

  /** The entry once the batch writers flushed it (every LOG_FLUSH_INTERVAL_MS). */
  async function logged(id: string): Promise<Logged> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const body = await gqlRequest(gateway.url, READ_LOG, owner, { id });
      const entry = body.data?.['requestLog'] as Logged | undefined;
      if (entry) return entry;
      if (Date.now() > deadline) throw new Error(`${id} was not logged: ${JSON.stringify(body.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Bodies are written by their own writer: waits for them too. */
  async function loggedWithBody(id: string): Promise<Logged> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const entry = await logged(id);
      if (entry.body || Date.now() > deadline) return entry;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const clientOf = (secret: string) => new OpenAI({ apiKey: secret, baseURL: gateway.baseURL, maxRetries: 0 });

  async function ask(secret: string, content: string, model = 'gpt-4o-mini') {
    const { data, response } = await clientOf(secret)
      .chat.completions.create({ model, messages: [{ role: 'user', content }] })
      .withResponse();
    return { text: data.choices[0].message.content, id: response.headers.get('x-request-id') as string };
  }

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
        BODY_CAPTURE_MAX_BYTES: '1024',
        BODY_CAPTURE_REDACT: '["acct-\\\\d{6}"]',
      },
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
routes:
  - { name: audited, targets: [{ channel: mock, model: gpt-4o-mini }], captureBodies: true }
`,
    });
    owner = await accessToken(gateway.url, OWNER.email, OWNER.password);
    const create = async (input: Record<string, unknown>) => {
      const created = await admin<{ secret: string; key: { id: string } }>(CREATE_KEY, { input });
      return { secret: created.secret, id: created.key.id };
    };
    capturing = await create({ name: 'captured', captureBodies: true });
    plain = await create({ name: 'plain' });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) removeDir(dataDir);
  });

  it('stores the bodies of a capturing key, with secrets, emails and configured patterns redacted', async () => {
    const secret = 'sk-live0123456789abcdefghijklmnop';
    const call = await ask(capturing.secret, `use ${secret} for ann@example.com, account acct-123456`);
    const entry = await loggedWithBody(call.id);
    expect(entry).toMatchObject({ keyId: capturing.id, status: 200, stream: false });
    const request = JSON.parse(entry.body?.request ?? '{}') as { messages: { content: string }[] };
    expect(request.messages[0].content).toBe('use [redacted] for [redacted], account [redacted]');
    const response = JSON.parse(entry.body?.response ?? '{}') as { choices: { message: { content: string } }[] };
    expect(response.choices[0].message.content).toBe(call.text);
    expect(entry.body).toMatchObject({ truncated: false, requestTruncated: false, responseTruncated: false });
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it('stores a streamed answer as the assembled text while the caller still gets every chunk', async () => {
    const { data: stream, response } = await clientOf(capturing.secret)
      .chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'stream please' }],
        mock: { chunks: 6 },
      } as OpenAI.ChatCompletionCreateParamsStreaming)
      .withResponse();
    let received = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      received += chunk.choices[0]?.delta?.content ?? '';
    }
    expect(chunks).toBeGreaterThanOrEqual(6);
    expect(received).toBe('Hello from the mock upstream.');
    const entry = await loggedWithBody(response.headers.get('x-request-id') as string);
    expect(entry.stream).toBe(true);
    expect(entry.body?.response).toBe(received);
  });

  it('cuts bodies over BODY_CAPTURE_MAX_BYTES and marks them', async () => {
    const call = await ask(capturing.secret, 'long '.repeat(600));
    const entry = await loggedWithBody(call.id);
    expect(entry.body?.requestTruncated).toBe(true);
    expect(entry.body?.truncated).toBe(true);
    expect(entry.body?.request).toMatch(/…\[truncated \d+ bytes\]$/);
    expect(Buffer.byteLength((entry.body?.request ?? '').replace(/…\[truncated \d+ bytes\]$/, ''))).toBeLessThanOrEqual(
      1024,
    );
  });

  it('stores no bodies by default, and those of a capturing route whatever the key', async () => {
    const off = await ask(plain.secret, 'not kept');
    const routed = await ask(plain.secret, 'kept by the route', 'audited');
    const kept = await loggedWithBody(routed.id);
    expect(kept.body?.request).toContain('kept by the route');
    // The route's body was written, so the other call's (same writer, earlier) would be there too.
    expect((await logged(off.id)).body).toBeNull();
  });

  it('finds the calls by key and pages through them with cursors', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ask(plain.secret, `call ${i}`)).id);
    await logged(ids[2]);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { nodes: { id: string; keyId: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } =
        await admin(SEARCH, { filter: { keyId: plain.id }, first: 2, after });
      expect(page.nodes.every((n) => n.keyId === plain.id)).toBe(true);
      seen.push(...page.nodes.map((n) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    expect(seen).toHaveLength(5);
    const bad = await gqlRequest(gateway.url, SEARCH, owner, { first: 501 });
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

describe('captured bodies at shutdown (built gateway)', () => {
  it('writes the bodies still queued before the gateway exits', async () => {
    const upstream = await startMockUpstream();
    const dataDir = tempDir();
    const gateway = await startGateway({
      dataDir,
      // Nothing is flushed on a timer during the test: only shutdown writes the queue.
      env: { HEALTH_CHECK_INTERVAL_MS: '0', LOG_FLUSH_INTERVAL_MS: '600000' },
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
keys:
  - { name: kept, key: sk-kept-0123456789abcdefghijkl, captureBodies: true }
`,
    });
    try {
      const client = new OpenAI({ apiKey: 'sk-kept-0123456789abcdefghijkl', baseURL: gateway.baseURL, maxRetries: 0 });
      const { response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'remember me' }] })
        .withResponse();
      const id = response.headers.get('x-request-id') as string;
      expect(await gateway.stop('SIGTERM')).toBe(0);
      const store = await openStore({ dataDir });
      const bodies = new TypeOrmRequestBodyRepository(store);
      try {
        expect((await bodies.findById(id))?.request).toContain('remember me');
      } finally {
        await bodies.close();
        await store.dataSource.destroy();
      }
    } finally {
      await gateway.stop().catch(() => undefined);
      await upstream.close();
      removeDir(dataDir);
    }
  });
});
