import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import fc from 'fast-check';
import { accessToken } from './support/admin-session';
import { randomInputs } from './support/graphql-fuzz';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-fuzz-0123456789abcdef01234567';
/** Fixed so that a failure is reproducible; FUZZ_SEED explores others (the failing seed is printed). */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261204);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1);
/** A call that takes longer than this has hung. */
const HANG_MS = 10_000;

interface Answer {
  status: number;
  text: string;
  contentType: string;
}

/**
 * Thousands of seeded random inputs (fast-check) against the built gateway: /v1 bodies in the
 * OpenAI and Anthropic formats, raw bytes and headers, and GraphQL operations shaped by the
 * schema. Every answer must be a success or a well-formed error of the caller's protocol, never a
 * 500, a stack trace or a hang (docs/security.md#fuzzing).
 */
describe('fuzzing', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockUpstream({ record: false });
    gateway = await startGateway({
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini, text-embedding-3-small, claude-sonnet-4] }
keys:
  - { name: fuzz, key: ${KEY} }
`,
      // Limits would answer most cases with 429 and hide what is behind them.
      env: {
        HEALTH_CHECK_INTERVAL_MS: '0',
        ADMIN_RATE_LIMIT_PER_MINUTE: '0',
        UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '0',
      },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const send = async (path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<Answer> => {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
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
    const path = fc.constantFrom('/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses');
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

  it('is still healthy afterwards', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    expect(gateway.output()).not.toMatch(/UnhandledPromiseRejection|uncaughtException/);
  });
});

const json = (key: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });

/** Header values fetch can send: no control characters, nothing beyond Latin-1. */
const isHeaderValue = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value) && value.trim() === value;

function expectWellFormed(answer: Answer, errorShape: (body: unknown) => boolean): void {
  expect(answer.status).not.toBe(500);
  expect(answer.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  if (answer.status < 400) return;
  expect(answer.contentType).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(answer.text);
  if (!errorShape(body)) throw new Error(`not an error of the format (${answer.status}): ${answer.text}`);
}

function openAIError(body: unknown): boolean {
  const error = (body as { error?: { message?: unknown; type?: unknown } }).error;
  return typeof error?.message === 'string' && error.message.length > 0 && typeof error.type === 'string';
}

function anthropicError(body: unknown): boolean {
  const { type, error } = body as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  return type === 'error' && typeof error?.type === 'string' && typeof error.message === 'string';
}

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

function openAIBody() {
  const valid = fc.record({
    model: fc.constantFrom('gpt-4o-mini', 'text-embedding-3-small'),
    messages: fc.array(fc.record({ role: fc.constant('user'), content: fc.string() }), { minLength: 1, maxLength: 3 }),
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
      role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool', 'developer'), fc.string()),
      content,
      name: fc.string(),
      tool_call_id: fc.string(),
      tool_calls: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      model: fc.oneof(fc.constantFrom('gpt-4o-mini', 'text-embedding-3-small'), fc.string(), fc.jsonValue()),
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
      encoding_format: fc.oneof(fc.constantFrom('float', 'base64'), fc.string()),
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
      type: fc.constantFrom('text', 'image', 'tool_use', 'tool_result', 'thinking', 'document', 'x'),
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
      model: fc.oneof(fc.constant('claude-sonnet-4'), fc.string(), fc.jsonValue()),
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
