import { POSTGRES_URL, postgresAvailable, runPostgres, startMockUpstream, type MockUpstream } from '@synapse/testing';
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { accessToken } from './support/admin-session';
import {
  anthropicError,
  difyError,
  expectWellFormed,
  FUZZ_RUNS,
  fuzzSeed,
  HANG_MS,
  NO_LIMITS_ENV,
  oddText,
  openAIError,
  type Answer,
} from './support/fuzzing';
import { randomInputs } from './support/graphql-fuzz';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-fuzz-0123456789abcdef01234567';
const SEED = fuzzSeed(20261204);
const RUNS = FUZZ_RUNS;

/**
 * Thousands of seeded random inputs (fast-check) against the built gateway: /v1 bodies in the
 * OpenAI and Anthropic formats, raw bytes and headers, and GraphQL operations shaped by the
 * schema. Every answer must be a success or a well-formed error of the caller's protocol, never a
 * 500, a stack trace or a hang (docs/security.md#fuzzing). On SQLite, and on PostgreSQL when it
 * runs here, whose text refuses what SQLite keeps (a NUL): no row the cases leave may be refused.
 */
const STORES: [string, boolean][] = [
  ['SQLite', false],
  ...(postgresAvailable ? [['PostgreSQL', true] as [string, boolean]] : []),
];

describe.each(STORES)('fuzzing on %s', (_store, onPostgres) => {
  const database = `synapse_fuzz_e2e_${process.pid}`;
  let upstream: MockUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    if (onPostgres) {
      await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
      await runPostgres(`CREATE DATABASE ${database}`);
    }
    upstream = await startMockUpstream({ record: false });
    gateway = await startGateway({
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini, text-embedding-3-small, claude-sonnet-4] }
routes:
  - { name: dify, targets: [{ channel: mock, model: gpt-4o-mini }] }
  - { name: "fuzz-*", targets: [{ channel: mock }] }
keys:
  - { name: fuzz, key: ${KEY} }
`,
      env: {
        ...NO_LIMITS_ENV,
        ...(onPostgres && { DATABASE_URL: POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`) }),
      },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
    if (onPostgres) await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
  });

  const send = async (
    path: string,
    body: string | Uint8Array | FormData | undefined,
    headers: Record<string, string>,
    method = 'POST',
  ): Promise<Answer> => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(HANG_MS),
    });
    return {
      status: response.status,
      text: await response.text(),
      contentType: response.headers.get('content-type') ?? '',
    };
  };

  const run = <T extends unknown[]>(property: fc.IAsyncProperty<T>, numRuns: number) =>
    fc.assert(property, { seed: SEED, numRuns: numRuns * RUNS, endOnFailure: true });

  it('answers random OpenAI-format bodies with a result or an OpenAI error', async () => {
    const path = fc.constantFrom(
      '/v1/chat/completions',
      '/v1/completions',
      '/v1/embeddings',
      '/v1/responses',
      '/v1/moderations',
      '/v1/images/generations',
      '/v1/rerank',
      '/v1/audio/speech',
    );
    await run(
      fc.asyncProperty(path, fc.oneof({ weight: 4, arbitrary: openAIBody() }, fc.jsonValue()), async (p, body) => {
        const answer = await send(p, JSON.stringify(body), json(KEY));
        expectWellFormed(answer, openAIError);
      }),
      1500,
    );
  });

  it('answers random Anthropic-format bodies with a result or an Anthropic error', async () => {
    await run(
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: anthropicBody() }, fc.jsonValue()), async (body) => {
        const answer = await send('/v1/messages', JSON.stringify(body), {
          ...json(KEY),
          'anthropic-version': '2023-06-01',
        });
        expectWellFormed(answer, anthropicError);
      }),
      800,
    );
  });

  it('answers random bytes, content types and keys with errors of the format', async () => {
    const headers = fc.record(
      {
        authorization: fc.oneof(fc.constant(`Bearer ${KEY}`), fc.string(), fc.constant('Bearer ')),
        'content-type': fc.oneof(fc.constant('application/json'), fc.string({ unit: 'grapheme-ascii' })),
        'x-forwarded-for': fc.string({ unit: 'grapheme-ascii' }),
        'content-encoding': fc.constantFrom('gzip', 'identity', 'br'),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.string(), fc.constant('{"model":'));
    await run(
      fc.asyncProperty(fc.constantFrom('/v1/chat/completions', '/v1/embeddings'), headers, body, async (p, h, b) => {
        const safe = Object.fromEntries(Object.entries(h).filter(([, value]) => isHeaderValue(value)));
        const answer = await send(p, b, safe);
        expectWellFormed(answer, openAIError);
      }),
      800,
    );
  });

  it('answers random Dify calls (paths, ids, queries, bodies) with a result or a Dify error', async () => {
    const statuses = new Map<number, number>();
    await run(
      fc.asyncProperty(difyCall(), async ({ method, path, body }) => {
        const answer = await send(path, body === undefined ? undefined : JSON.stringify(body), json(KEY), method);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expectWellFormed(answer, (error) => difyError(error, answer.status));
      }),
      800,
    );
    // Cases reach past validation: some are served (generations, stops, lists), some not found.
    expect(statuses.get(200)).toBeGreaterThan(80 * RUNS);
    expect(statuses.get(404)).toBeGreaterThan(20 * RUNS);
  });

  it('answers random Dify uploads (forms, files, raw multipart bytes) with a result or a Dify error', async () => {
    const form = fc
      .record({
        file: fc.option(
          fc.tuple(
            fc.uint8Array({ maxLength: 256 }),
            fc.constantFrom('image/png', 'image/gif', 'text/plain', ''),
            fc.oneof(
              fc.string(),
              objectKeys(),
              objectKeys().map((name) => `image.${name}`),
            ),
          ),
        ),
        user: fc.option(fc.string()),
        extra: fc.option(fc.string()),
      })
      .map(({ file, user, extra }) => {
        const data = new FormData();
        if (file) data.append('file', new Blob([file[0]], { type: file[1] }), file[2]);
        if (user !== null) data.append('user', user);
        if (extra !== null) data.append('file', extra);
        return { body: data as FormData | Uint8Array, headers: {} as Record<string, string> };
      });
    const raw = rawMultipart();
    await run(
      fc.asyncProperty(fc.oneof(form, raw), async ({ body, headers }) => {
        const answer = await send('/v1/files/upload', body, { authorization: `Bearer ${KEY}`, ...headers });
        expectWellFormed(answer, (error) => difyError(error, answer.status));
      }),
      300,
    );
  });

  it('answers random OpenAI uploads (transcriptions, translations, image edits) with a result or an OpenAI error', async () => {
    const path = fc.constantFrom(
      '/v1/audio/transcriptions',
      '/v1/audio/translations',
      '/v1/images/edits',
      '/v1/images/variations',
    );
    const form = fc
      .record({
        model: fc.option(fc.oneof(fc.constantFrom('gpt-4o-mini', 'fuzz-model'), fc.string())),
        file: fc.option(fc.tuple(fc.uint8Array({ maxLength: 256 }), fc.string())),
        prompt: fc.option(fc.string()),
        stream: fc.option(fc.constantFrom('true', 'false', '')),
        extra: fc.option(fc.tuple(fc.string(), fc.string())),
      })
      .map(({ model, file, prompt, stream, extra }) => {
        const data = new FormData();
        if (model !== null) data.append('model', model);
        if (file) {
          data.append('file', new Blob([file[0]], { type: 'audio/wav' }), file[1]);
          data.append('image', new Blob([file[0]], { type: 'image/png' }), file[1]);
        }
        if (prompt !== null) data.append('prompt', prompt);
        if (stream !== null) data.append('stream', stream);
        if (extra) data.append(extra[0], extra[1]);
        return { body: data as FormData | Uint8Array, headers: {} as Record<string, string> };
      });
    const raw = rawMultipart();
    await run(
      fc.asyncProperty(path, fc.oneof(form, raw), async (p, { body, headers }) => {
        const answer = await send(p, body, { authorization: `Bearer ${KEY}`, ...headers });
        expectWellFormed(answer, openAIError);
      }),
      300,
    );
  });

  it('answers random methods and paths under /v1 with an error of the format, never a crash', async () => {
    const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH');
    await run(
      fc.asyncProperty(method, wildPath(), fc.option(fc.jsonValue()), async (m, path, body) => {
        const payload = m === 'GET' || body === null ? undefined : JSON.stringify(body);
        const answer = await send(path, payload, json(KEY), m);
        // Dify's paths answer in Dify's shape, the rest in OpenAI's.
        expectWellFormed(answer, (error) => openAIError(error) || difyError(error, answer.status));
      }),
      800,
    );
  });

  it('answers random calls of the REST routes beside /v1 (sign-in, sessions, OIDC, CSV export) with their errors', async () => {
    const token = await accessToken(gateway.url, 'admin@synapsehub.local', 'e2e-admin-password');
    const statuses = new Set<number>();
    const query = fc
      .dictionary(
        fc.constantFrom('code', 'state', 'error', 'from', 'to', 'interval', 'groupBy', 'model', 'redirect', 'x'),
        fc.oneof(fc.string(), fc.constantFrom('2026-12-01T00:00:00Z', 'hour', 'day', 'key', '-1', '1e999')),
        { maxKeys: 4 },
      )
      .map((fields) => new URLSearchParams(fields).toString());
    const route = fc.oneof(
      fc.constantFrom('/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/auth/password').map((path) => ({
        method: 'POST',
        path,
      })),
      fc.constant({ method: 'POST', path: '/api/auth/oidc/exchange' }),
      fc
        .constantFrom('/api/auth/oidc/login', '/api/auth/oidc/callback', '/api/usage/export.csv', '/api/auth/methods')
        .chain((path) => query.map((q) => ({ method: 'GET', path: `${path}?${q}` }))),
    );
    const body = fc.oneof(
      fc.record(
        {
          email: fc.oneof(fc.emailAddress(), fc.string(), fc.jsonValue()),
          password: fc.oneof(fc.string(), fc.jsonValue()),
          currentPassword: fc.string(),
          newPassword: fc.string(),
          refreshToken: fc.oneof(fc.string(), fc.jsonValue()),
          code: fc.oneof(fc.string(), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    const headers = fc.record(
      {
        authorization: fc.oneof(
          fc.constant(`Bearer ${token}`),
          fc.string().map((t) => `Bearer ${t}`),
        ),
        cookie: fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
      },
      { requiredKeys: [] },
    );
    await run(
      fc.asyncProperty(route, body, headers, async ({ method, path }, b, h) => {
        const safe = Object.fromEntries(Object.entries(h).filter(([, value]) => isHeaderValue(value)));
        const payload = method === 'GET' ? undefined : JSON.stringify(b);
        const answer = await send(path, payload, { 'content-type': 'application/json', ...safe }, method);
        statuses.add(answer.status);
        expect(answer.status).not.toBe(500);
        expect(answer.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
        if (answer.status >= 400 && answer.contentType.startsWith('application/json')) {
          expect(JSON.parse(answer.text)).toEqual({
            statusCode: answer.status,
            error: expect.any(String),
            message: expect.any(String),
          });
        }
      }),
      600,
    );
    // Past the pipes and guards too: some calls are served, others refused in each way.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 401]));
  });

  it('answers random GraphQL operations shaped by the schema without an internal error', async () => {
    const token = await accessToken(gateway.url, 'admin@synapsehub.local', 'e2e-admin-password');
    const operations = randomInputs({
      // These end the fuzzing session's own sign-in, or reach out to the network.
      skip: ['testChannel', 'testNotificationChannel'],
    });
    await run(
      fc.asyncProperty(operations, async ({ query, variables }) => {
        const answer = await send('/graphql', JSON.stringify({ query, variables }), {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        });
        expect(answer.status).not.toBeGreaterThanOrEqual(500);
        const body = JSON.parse(answer.text) as { errors?: { message: string; extensions?: { code?: string } }[] };
        for (const error of body.errors ?? []) {
          expect(typeof error.message).toBe('string');
          expect(typeof error.extensions?.code).toBe('string');
          if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') {
            // The gateway logged the cause under the error id: show it with the case.
            const id = String((error.extensions as { errorId?: string }).errorId);
            const cause = gateway.output().slice(gateway.output().indexOf(id), gateway.output().indexOf(id) + 1500);
            throw new Error(`internal error for ${query}\n${cause}`);
          }
        }
      }),
      1500,
    );
  });

  it('answers random GraphQL-over-WebSocket sessions with protocol messages and closes, never an internal error', async () => {
    const token = await accessToken(gateway.url, 'admin@synapsehub.local', 'e2e-admin-password');
    const closes = new Map<number, number>();
    await run(
      fc.asyncProperty(wsSession(token), async ({ protocol, messages }) => {
        const { code, received } = await wsExchange(
          `${gateway.url.replace(/^http/, 'ws')}/graphql`,
          protocol,
          messages,
        );
        closes.set(code, (closes.get(code) ?? 0) + 1);
        // 1011 and 4500 are graphql-ws's internal errors: a fault of the gateway's.
        expect([1011, 4500]).not.toContain(code);
        for (const text of received) {
          const message = JSON.parse(text) as { type: string; payload?: unknown };
          if (message.type !== 'error') continue;
          for (const error of message.payload as { message: string; extensions?: { code?: string } }[]) {
            expect(typeof error.extensions?.code).toBe('string');
            expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
          }
        }
      }),
      300,
    );
    // Sessions reach past the handshake: some are acknowledged and left open until the client closes (1000).
    expect(closes.get(1000)).toBeGreaterThan(10 * RUNS);
    expect([...closes.keys()].some((code) => code >= 4400)).toBe(true);
  });

  it('is still healthy afterwards, and stops with every log row, body and conversation stored', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    expect(await gateway.stop()).toBe(0);
    expect(gateway.output()).not.toMatch(/UnhandledPromiseRejection|uncaughtException/);
    // What a store refused is named in the log: a NUL in a model name on PostgreSQL, say.
    expect(gateway.output()).not.toMatch(/store refused|could not store|could not write|failed: /);
  });
});

const json = (key: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });

/** Header values fetch can send: no control characters, nothing beyond Latin-1. */
/** Names every object has: a table looked up with one finds Object's (a Dify upload named `__proto__` answered 500). */
const objectKeys = () => fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty');

const isHeaderValue = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value) && value.trim() === value;

/**
 * A valid body with up to three of its fields replaced by wild ones (of the real shape or any
 * JSON), so that cases reach past validation into routing, the upstream call and the relay too.
 */
function mutated<T extends object>(valid: fc.Arbitrary<T>, wild: fc.Arbitrary<Record<string, unknown>>) {
  return fc.tuple(valid, wild, fc.nat()).map(([base, fields, pick]) => {
    const keys = Object.keys(fields);
    const chosen = keys.filter((_, i) => (pick >> i) % 3 === 0).slice(0, 3);
    return { ...base, ...Object.fromEntries(chosen.map((key) => [key, fields[key]])) };
  });
}

/**
 * A model name the pattern route `fuzz-*` serves, passed upstream as it is: any UTF-16 code units
 * after the prefix (control characters, non-ASCII, lone surrogates), so that they reach the
 * routing headers, the upstream call and the request log.
 */
function anyModelServed() {
  return oddText(12).map((name) => `fuzz-${name}`);
}

/** Random bytes sent as multipart/form-data under a random boundary. */
function rawMultipart() {
  return fc
    .tuple(fc.uint8Array({ maxLength: 512 }), fc.string({ unit: 'grapheme-ascii', maxLength: 40 }))
    .map(([bytes, boundary]) => ({
      body: bytes as FormData | Uint8Array,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    }))
    .filter(({ headers }) => isHeaderValue(headers['content-type']));
}

function openAIBody() {
  const valid = fc.record({
    model: fc.constantFrom('gpt-4o-mini', 'text-embedding-3-small'),
    messages: fc.array(fc.record({ role: fc.constant('user'), content: fc.oneof(fc.string(), oddText(40)) }), {
      minLength: 1,
      maxLength: 3,
    }),
    prompt: fc.string(),
    input: fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 })),
    stream: fc.boolean(),
  });
  return fc.oneof(valid, mutated(valid, openAIWild()));
}

/** Fields near the real shape, so that wild cases reach past JSON parsing into validation. */
function openAIWild() {
  const content = fc.oneof(
    fc.string(),
    fc.constant(null),
    fc.array(
      fc.record(
        {
          type: fc.constantFrom('text', 'image_url', 'input_audio', 'file', 'other'),
          text: fc.oneof(fc.string(), fc.integer()),
          image_url: fc.oneof(fc.string(), fc.record({ url: fc.string() })),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  );
  const message = fc.record(
    {
      role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool', 'developer'), fc.string(), objectKeys()),
      content,
      name: fc.string(),
      tool_call_id: fc.string(),
      tool_calls: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      model: fc.oneof(
        fc.constantFrom('gpt-4o-mini', 'text-embedding-3-small'),
        fc.string(),
        anyModelServed(),
        objectKeys(),
        fc.jsonValue(),
      ),
      messages: fc.oneof({ weight: 4, arbitrary: fc.array(message, { maxLength: 4 }) }, fc.jsonValue()),
      prompt: fc.oneof(fc.string(), fc.array(fc.string()), fc.jsonValue()),
      input: fc.oneof(fc.string(), fc.array(fc.string()), fc.array(fc.integer()), fc.jsonValue()),
      stream: fc.oneof(fc.boolean(), fc.jsonValue()),
      stream_options: fc.oneof(fc.record({ include_usage: fc.jsonValue() }), fc.jsonValue()),
      n: fc.oneof(fc.integer({ min: -3, max: 40 }), fc.jsonValue()),
      max_tokens: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
      max_completion_tokens: fc.oneof(fc.integer(), fc.jsonValue()),
      temperature: fc.oneof(fc.double(), fc.jsonValue()),
      tools: fc.jsonValue(),
      response_format: fc.jsonValue(),
      encoding_format: fc.oneof(fc.constantFrom('float', 'base64'), fc.string(), objectKeys()),
      tool_choice: fc.oneof(fc.constantFrom('none', 'auto', 'required'), objectKeys(), fc.jsonValue()),
      dimensions: fc.oneof(fc.integer(), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
}

function anthropicBody() {
  const valid = fc.record({
    model: fc.constant('claude-sonnet-4'),
    max_tokens: fc.integer({ min: 1, max: 1000 }),
    messages: fc.array(fc.record({ role: fc.constant('user'), content: fc.string({ minLength: 1 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    stream: fc.boolean(),
  });
  return fc.oneof(valid, mutated(valid, anthropicWild()));
}

function anthropicWild() {
  const block = fc.record(
    {
      type: fc.oneof(
        fc.constantFrom('text', 'image', 'tool_use', 'tool_result', 'thinking', 'document', 'x'),
        objectKeys(),
      ),
      text: fc.oneof(fc.string(), fc.jsonValue()),
      source: fc.oneof(
        fc.record({
          type: fc.constantFrom('base64', 'url'),
          media_type: fc.string(),
          data: fc.string(),
          url: fc.string(),
        }),
        fc.jsonValue(),
      ),
      id: fc.string(),
      name: fc.string(),
      input: fc.jsonValue(),
      tool_use_id: fc.string(),
      content: fc.jsonValue(),
    },
    { requiredKeys: ['type'] },
  );
  const message = fc.record(
    {
      role: fc.oneof(fc.constantFrom('user', 'assistant'), fc.string()),
      content: fc.oneof(fc.string(), fc.array(block, { maxLength: 3 }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      model: fc.oneof(fc.constant('claude-sonnet-4'), fc.string(), anyModelServed(), fc.jsonValue()),
      max_tokens: fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.jsonValue()),
      messages: fc.oneof({ weight: 4, arbitrary: fc.array(message, { maxLength: 4 }) }, fc.jsonValue()),
      system: fc.oneof(fc.string(), fc.array(block, { maxLength: 2 }), fc.jsonValue()),
      tools: fc.jsonValue(),
      tool_choice: fc.jsonValue(),
      stream: fc.oneof(fc.boolean(), fc.jsonValue()),
      thinking: fc.jsonValue(),
      stop_sequences: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
      temperature: fc.oneof(fc.double(), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
}

/**
 * Path segments: real words, ids, and percent-escapes good and malformed (`%E0`, `%ZZ`). No `.` or
 * `..` segments (`%2e` too): the client resolves those before sending, as any URL parser does.
 */
function pathSegment() {
  return fc
    .oneof(
      fc.constantFrom('chat-messages', 'completion-messages', 'conversations', 'messages', 'workflows', 'tasks'),
      fc.constantFrom('stop', 'name', 'feedbacks', 'files', 'upload', 'models', 'responses', 'run', 'chat'),
      fc.uuid(),
      fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
      fc.stringMatching(/^(?:%[0-9A-FZa-f]{0,2}|[a-z0-9._~-]){1,12}$/),
      fc.string({ minLength: 90, maxLength: 300, unit: fc.constantFrom('a', 'b', '-') }),
    )
    .filter((segment) => !/^(?:\.|%2e){1,2}$/i.test(segment));
}

function wildPath() {
  const query = fc.option(
    fc.string({ maxLength: 40 }).map((q) => `?${encodeURI(q)}`),
    { nil: '' },
  );
  return fc
    .tuple(fc.array(pathSegment(), { minLength: 1, maxLength: 4 }), query)
    .map(([segments, q]) => `/v1/${segments.join('/')}${q}`);
}

/** A call of Dify's service API: each of its paths, with ids, queries and bodies near and far from valid. */
function difyCall() {
  const id = fc.oneof(fc.uuid(), pathSegment());
  const user = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('alice', 'bob') },
    fc.string(),
    oddText(300),
    fc.jsonValue(),
  );
  const wild = <T extends object>(valid: fc.Arbitrary<T>) =>
    fc.oneof(
      { weight: 3, arbitrary: valid },
      fc.tuple(valid, fc.dictionary(fc.string(), fc.jsonValue())).map(([base, extra]) => ({ ...extra, ...base })),
      fc.jsonValue(),
    );
  const generation = wild(
    fc.record(
      {
        query: fc.oneof(fc.string(), oddText(40), fc.jsonValue()),
        inputs: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
        user,
        response_mode: fc.oneof(fc.constantFrom('blocking', 'streaming'), fc.string()),
        conversation_id: fc.oneof(fc.uuid(), fc.string(), fc.jsonValue()),
        files: fc.oneof(
          fc.array(
            fc.record(
              {
                type: fc.constantFrom('image', 'document', 'x'),
                transfer_method: fc.constantFrom('remote_url', 'local_file', 'x'),
                url: fc.string(),
                upload_file_id: fc.oneof(fc.uuid(), fc.string()),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 2 },
          ),
          fc.jsonValue(),
        ),
        auto_generate_name: fc.oneof(fc.boolean(), fc.jsonValue()),
      },
      { requiredKeys: ['user'] },
    ),
  );
  const params = fc
    .record(
      {
        user,
        limit: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.string()),
        last_id: id,
        first_id: id,
        conversation_id: id,
        sort_by: fc.oneof(fc.constantFrom('created_at', '-created_at', 'updated_at', '-updated_at'), fc.string()),
        pinned: fc.constantFrom('true', 'false', 'x'),
      },
      { requiredKeys: [] },
    )
    .map((fields) =>
      new URLSearchParams(
        Object.entries(fields).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ).toString(),
    );
  type Call = { method: string; path: string; body?: unknown };
  return fc.oneof(
    fc
      .tuple(fc.constantFrom('/v1/chat-messages', '/v1/completion-messages', '/v1/workflows/run'), generation)
      .map(([path, body]): Call => ({ method: 'POST', path, body })),
    fc
      .tuple(fc.constantFrom('chat-messages', 'completion-messages', 'workflows/tasks'), id, wild(fc.record({ user })))
      .map(([kind, task, body]): Call => ({ method: 'POST', path: `/v1/${kind}/${task}/stop`, body })),
    fc
      .tuple(id, wild(fc.record({ name: fc.string(), auto_generate: fc.jsonValue(), user }, { requiredKeys: [] })))
      .map(([conversation, body]): Call => ({ method: 'POST', path: `/v1/conversations/${conversation}/name`, body })),
    fc
      .tuple(id, fc.option(wild(fc.record({ user }))))
      .map(([conversation, body]): Call => ({ method: 'DELETE', path: `/v1/conversations/${conversation}`, body })),
    fc
      .tuple(id, wild(fc.record({ rating: fc.constantFrom('like', 'dislike', null, 'x'), user, content: fc.string() })))
      .map(([message, body]): Call => ({ method: 'POST', path: `/v1/messages/${message}/feedbacks`, body })),
    fc
      .tuple(fc.constantFrom('/v1/conversations', '/v1/messages'), params)
      .map(([path, query]): Call => ({ method: 'GET', path: `${path}?${query}` })),
    fc.constantFrom('/v1/parameters', '/v1/info', '/v1/meta').map((path): Call => ({ method: 'GET', path })),
  );
}

/** A graphql-transport-ws session: the subprotocol asked for, and the client's messages, near and far from the protocol. */
function wsSession(token: string) {
  const query = fc.oneof(
    fc.constantFrom(
      'subscription { liveMetrics(groupBy: MODEL) { at } }',
      'subscription ($f: RequestLogTailFilter) { requestLogTail(filter: $f) { id status } }',
      'subscription { liveMetrics(groupBy: NOPE) { at } }',
      'query { __typename }',
      'subscription { a: liveMetrics(groupBy: KEY) { at } b: requestLogTail { id } }',
    ),
    fc.string(),
  );
  const message = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .option(fc.oneof(fc.constant(`Bearer ${token}`), fc.string()), { nil: undefined })
        .map((authorization) =>
          JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} }),
        ),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({
          id: fc.oneof(fc.constantFrom('1', '2'), fc.string(), fc.jsonValue()),
          query,
          variables: fc.oneof(fc.constant({ f: { errorsOnly: true } }), fc.jsonValue()),
        })
        .map(({ id, query: q, variables }) =>
          JSON.stringify({ type: 'subscribe', id, payload: { query: q, variables } }),
        ),
    },
    fc
      .constantFrom('ping', 'pong', 'complete', 'next', 'connection_ack', 'x')
      .chain((type) =>
        fc.oneof(fc.constant('1'), fc.jsonValue()).map((id) => JSON.stringify({ type, id, payload: {} })),
      ),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string(),
  );
  return fc.record({
    protocol: fc.oneof(
      { weight: 5, arbitrary: fc.constant('graphql-transport-ws') },
      fc.constantFrom('graphql-ws', 'x'),
    ),
    messages: fc.array(message, { minLength: 1, maxLength: 4 }),
  });
}

/**
 * Opens a WebSocket, sends the messages, and waits for the server to close it (or closes it after
 * a short while): the close code, and what the server sent.
 */
async function wsExchange(
  url: string,
  protocol: string,
  messages: string[],
): Promise<{ code: number; received: string[] }> {
  const socket = new WebSocket(url, protocol, { headers: { origin: url } });
  const received: string[] = [];
  socket.on('message', (data) => received.push(String(data)));
  const closed = new Promise<number>((resolve) => {
    socket.once('close', (code) => resolve(code));
    socket.once('error', () => resolve(-1));
  });
  socket.once('open', async () => {
    for (const message of messages) {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(message);
      await sleep(5);
    }
    await sleep(150);
    if (socket.readyState === socket.OPEN) socket.close(1000);
  });
  const code = await Promise.race([closed, sleep(HANG_MS).then(() => 0)]);
  socket.terminate();
  return { code, received };
}
