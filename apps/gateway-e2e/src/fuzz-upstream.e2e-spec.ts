import { startMockHttpServer, type MockHttpServer } from '@synapse/testing';
import fc from 'fast-check';
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import {
  anthropicError,
  difyError,
  expectWellFormed,
  FUZZ_RUNS,
  fuzzSeed,
  GATEWAY_FAULT,
  HANG_MS,
  NO_LIMITS_ENV,
  oddText,
  openAIError,
  type Answer,
} from './support/fuzzing';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const SEED = fuzzSeed(20261206);
const RUNS = FUZZ_RUNS;

const PROVIDERS = ['openai', 'anthropic', 'gemini', 'ollama', 'dify'] as const;
type Provider = (typeof PROVIDERS)[number];
/** The callers' formats; `embeddings` is OpenAI's, for the providers that embed. */
const INGRESSES = ['openai', 'anthropic', 'responses', 'dify', 'embeddings'] as const;
const EMBEDDING_PROVIDERS: readonly Provider[] = ['openai', 'gemini', 'ollama'];
type Ingress = (typeof INGRESSES)[number];

const keyOf = (provider: Provider) => `sk-fuzz-up-${provider}-0123456789abcdef`;

/** What the scripted upstream answers to the next call. */
interface UpstreamAnswer {
  status: number;
  contentType: string;
  /** The body, written in these pieces, a turn of the event loop apart. */
  pieces: (string | Buffer)[];
  /** A Content-Encoding header (the pieces are then of the encoded body, or of the plain one for a lie). */
  encoding?: string;
  /** A 103 Early Hints before the answer. */
  earlyHints?: boolean;
  /** Reset the connection instead of ending the answer. */
  reset: boolean;
  /** Waits before the status line, and between pieces (0: a turn of the event loop). */
  headerDelayMs?: number;
  pieceDelayMs?: number;
}

/** The channels' timeouts, short so that slow upstreams reach them within a case (undici's own timers fire late by up to a second). */
const FIRST_BYTE_MS = 200;
const TOTAL_MS = 1500;

/**
 * A misbehaving upstream must not break the gateway: seeded random answers (fast-check) from an
 * upstream of each channel type (statuses, content types, bodies and stream events near and far
 * from the provider's format, cut short or reset), called through each ingress format. Every
 * answer must be a success or a well-formed error of the caller's protocol, never a 500, a stack
 * trace or a hang, and the gateway must still serve afterwards (docs/security.md#fuzzing).
 */
describe('fuzzing the upstreams', () => {
  let upstream: MockHttpServer;
  let gateway: GatewayProcess;
  let next: UpstreamAnswer;

  beforeAll(async () => {
    upstream = await startMockHttpServer(async ({ res }) => answer(res, next));
    const url = `http://127.0.0.1:${upstream.port}`;
    const config = [
      'channels:',
      ...PROVIDERS.map(
        (p) =>
          `  - { name: up-${p}, type: ${p}, baseUrl: "${url}", apiKey: up-key, models: [m-${p}],` +
          ` timeouts: { firstByteMs: ${FIRST_BYTE_MS}, totalMs: ${TOTAL_MS} } }`,
      ),
      'routes:',
      ...PROVIDERS.map(
        (p) => `  - { name: m-${p}, retry: { attempts: 1 }, targets: [{ channel: up-${p}, model: m-${p} }] }`,
      ),
      // A Dify call of key fz-<provider> goes to that provider (to a dify channel: passed through as it came).
      ...PROVIDERS.map(
        (p) => `  - { name: dify/fz-${p}, retry: { attempts: 1 }, targets: [{ channel: up-${p}, model: m-${p} }] }`,
      ),
      'keys:',
      ...PROVIDERS.map((p) => `  - { name: fz-${p}, key: ${keyOf(p)} }`),
      '',
    ].join('\n');
    gateway = await startGateway({
      config,
      env: {
        ...NO_LIMITS_ENV,
        // Failing upstreams would otherwise cool their channels down and hide the cases behind 503s.
        ROUTING_FAILURE_THRESHOLD: '100000000',
        // Callers that leave at random leave spare connections behind, on which nothing was sent.
        // The drain cuts them after a second (shutdown.e2e-spec.ts tests it); this bound only
        // keeps a regression there from costing 30 s.
        SHUTDOWN_TIMEOUT_MS: '3000',
      },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('answers every call through every ingress with a result or an error of its format', async () => {
    const statuses = new Map<number, number>();
    const served = new Set<Ingress>();
    await fc.assert(
      fc.asyncProperty(callCases(), async ({ provider, ingress, stream, script }) => {
        next = script;
        const answer = await call(gateway.url, ingress, provider, stream);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 200) served.add(ingress);
        expectAnswerOfFormat(gateway, answer, ingress, provider);
      }),
      { seed: SEED, numRuns: 600 * RUNS, endOnFailure: true },
    );
    // Cases reach past the first parse: some calls are served, some are upstream errors.
    expect(statuses.get(200)).toBeGreaterThan(50 * RUNS);
    expect([...statuses.keys()].some((status) => status >= 500)).toBe(true);
    expect([...served].sort()).toEqual([...INGRESSES].sort());
  });

  it(
    'ends every call when the upstream is slow or the caller leaves: timeouts, cancellations, no hang',
    async () => {
      const slow = fc.record({
        headerDelayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: TOTAL_MS - 200 })),
        pieceDelayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 })),
        leaveAfterMs: fc.option(fc.integer({ min: 10, max: 600 }), { nil: undefined, freq: 3 }),
      });
      const outcomes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(callCases(), slow, async ({ provider, ingress, stream, script }, timing) => {
          next = { ...script, headerDelayMs: timing.headerDelayMs, pieceDelayMs: timing.pieceDelayMs };
          const started = Date.now();
          let answer: Answer;
          try {
            answer = await call(gateway.url, ingress, provider, stream, timing.leaveAfterMs);
          } catch (error) {
            // The caller left: nothing to check but that it was the caller's own clock.
            expect(timing.leaveAfterMs).toBeDefined();
            expect((error as Error).name).toBe('TimeoutError');
            outcomes.set('left', (outcomes.get('left') ?? 0) + 1);
            return;
          }
          // The channel's total timeout ends every call, whatever the upstream does (with room for a slow machine).
          expect(Date.now() - started).toBeLessThan(TOTAL_MS + 2000);
          const outcome = answer.status === 504 ? 'timed out' : answer.status === 200 ? 'served' : 'other';
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          expectAnswerOfFormat(gateway, answer, ingress, provider);
        }),
        { seed: SEED, numRuns: 100 * RUNS, endOnFailure: true },
      );
      // Each way of ending was reached.
      expect([...outcomes.keys()].sort()).toEqual(['left', 'other', 'served', 'timed out']);
      // No upstream call outlives its caller or its timeout: the gateway ended every one it began.
      const deadline = Date.now() + TOTAL_MS + 1000;
      while (upstreamOpen > 0 && Date.now() < deadline) await sleep(50);
      expect(upstreamOpen).toBe(0);
    },
    // Its cases wait for slow upstreams, up to TOTAL_MS each.
    60_000 * RUNS,
  );

  it('is still healthy afterwards', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    expect(gateway.output()).not.toMatch(/UnhandledPromiseRejection|uncaughtException/);
  });
});

/** A call (provider, ingress, streamed or not) and its upstream's scripted answer. */
function callCases() {
  return (
    fc
      .tuple(fc.constantFrom(...PROVIDERS), fc.constantFrom(...INGRESSES), fc.boolean())
      .filter(([provider, ingress]) => ingress !== 'embeddings' || EMBEDDING_PROVIDERS.includes(provider))
      // Embeddings never stream.
      .map(([provider, ingress, stream]) => [provider, ingress, stream && ingress !== 'embeddings'] as const)
      .chain(([provider, ingress, stream]) =>
        upstreamAnswer(provider, stream, ingress === 'embeddings').map((script) => ({
          provider,
          ingress,
          stream,
          script,
        })),
      )
  );
}

/** A success, or an error of the ingress's format; never the gateway's internal error, in a stream neither. */
function expectAnswerOfFormat(gateway: GatewayProcess, answer: Answer, ingress: Ingress, provider: Provider): void {
  const shape: Record<Ingress, (body: unknown) => boolean> = {
    openai: openAIError,
    responses: openAIError,
    anthropic: anthropicError,
    dify: (body) => difyError(body, answer.status),
    embeddings: openAIError,
  };
  if (GATEWAY_FAULT.test(answer.text) || (answer.status === 500 && ingress !== 'anthropic')) {
    throw new Error(`${answer.status}: ${answer.text}\n${loggedAbout(gateway, answer.text)}`);
  }
  // A Dify app passed through answers as it did: its bytes are not the gateway's to check.
  if (ingress === 'dify' && provider === 'dify') return;
  expectWellFormed(answer, shape[ingress], { failuresAre500: ingress === 'anthropic' });
}

/** What the gateway logged about the request id an error names: the cause of an internal error. */
function loggedAbout(gateway: GatewayProcess, errorText: string): string {
  const id = /req_[0-9a-f]+/.exec(errorText)?.[0];
  const output = gateway.output();
  const at = id ? output.indexOf(`${id}:`) : -1;
  return at < 0 ? output.slice(-1500) : output.slice(at, at + 1500);
}

/** Answers the scripted upstream has begun and not closed yet. */
let upstreamOpen = 0;

async function answer(res: ServerResponse, script: UpstreamAnswer): Promise<void> {
  upstreamOpen++;
  res.once('close', () => upstreamOpen--);
  // The gateway may give up (a timeout, its caller gone) while this one is still answering.
  res.on('error', () => undefined);
  const pause = (ms = 0) => (ms > 0 ? sleep(ms) : nextTurn());
  await pause(script.headerDelayMs);
  if (res.destroyed) return;
  if (script.earlyHints) res.writeEarlyHints({ link: '</hint>; rel=preload' });
  res.writeHead(script.status, {
    ...(script.contentType && { 'content-type': script.contentType }),
    ...(script.encoding && { 'content-encoding': script.encoding }),
  });
  for (const piece of script.pieces) {
    if (res.destroyed) return;
    res.write(piece);
    await pause(script.pieceDelayMs);
  }
  if (script.reset) res.socket?.destroy();
  else res.end();
}

/** One call of the caller's format, as its SDK would send it. */
async function call(
  base: string,
  ingress: Ingress,
  provider: Provider,
  stream: boolean,
  /** The caller gives up after this long (the call then rejects with an AbortError). */
  leaveAfterMs?: number,
): Promise<Answer> {
  const model = `m-${provider}`;
  const messages = [{ role: 'user', content: 'Hi' }];
  const requests: Record<Ingress, [string, object, Record<string, string>?]> = {
    openai: ['/v1/chat/completions', { model, messages, stream }],
    responses: ['/v1/responses', { model, input: 'Hi', stream }],
    anthropic: ['/v1/messages', { model, max_tokens: 100, messages, stream }, { 'anthropic-version': '2023-06-01' }],
    dify: [
      '/v1/chat-messages',
      { query: 'Hi', inputs: {}, user: 'fuzz', response_mode: stream ? 'streaming' : 'blocking' },
    ],
    // The SDK's default encoding is base64: the gateway re-encodes floats for it.
    embeddings: ['/v1/embeddings', { model, input: ['Hi', 'there'], encoding_format: 'base64' }],
  };
  const [path, body, headers] = requests[ingress];
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keyOf(provider)}`, ...headers },
    body: JSON.stringify(body),
    signal: leaveAfterMs === undefined ? AbortSignal.timeout(HANG_MS) : AbortSignal.timeout(leaveAfterMs),
  });
  return {
    status: response.status,
    text: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
  };
}

/** The shape given most of the time, any JSON value otherwise. */
const wild = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary }, fc.jsonValue());
/** An object of these fields, each near its shape or wild, any of them missing. */
const loose = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, wild(v)])), { requiredKeys: [] });
const text = fc.oneof(fc.string(), oddText(40), fc.constant(null));
const count = fc.oneof(fc.nat(5000), fc.integer({ min: -5, max: 5 }), fc.double());
const args = fc.oneof(fc.json(), fc.string());

/** A provider's answer: its status, content type and body, near and far from its format. */
function upstreamAnswer(provider: Provider, stream: boolean, embeddings: boolean): fc.Arbitrary<UpstreamAnswer> {
  const expected = !stream ? 'application/json' : provider === 'ollama' ? 'application/x-ndjson' : 'text/event-stream';
  const contentType = fc.oneof(
    { weight: 5, arbitrary: fc.constant(expected) },
    fc.constantFrom('application/json', 'text/event-stream', 'application/x-ndjson', 'text/plain', 'text/html', ''),
  );
  const status = fc.oneof(
    { weight: 6, arbitrary: fc.constant(200) },
    fc.constantFrom(201, 204, 400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 529),
    fc.integer({ min: 200, max: 599 }),
  );
  const body = stream ? streamBody(provider) : embeddings ? embeddingsBody(provider) : jsonBody(provider);
  const cut = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 4 });
  const splits = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 });
  // Compressed as asked by a channel's Accept-Encoding, or not as the header says ('lie'), or in
  // an encoding the gateway cannot read.
  const encoding = fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    fc.constantFrom('gzip', 'deflate', 'br', 'zstd', 'lie'),
  );
  return fc
    .record({
      status,
      contentType,
      body,
      cut,
      splits,
      reset: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, fc.constant(true)),
      encoding,
      earlyHints: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, fc.constant(true)),
    })
    .map(({ status, contentType, body, cut, splits, reset, encoding, earlyHints }) => {
      const encode =
        encoding === undefined || encoding === 'lie' || encoding === 'zstd' ? undefined : ENCODERS[encoding];
      const bytes: string | Buffer = encode ? encode(Buffer.from(body)) : body;
      const whole = cut === null ? bytes : bytes.slice(0, Math.floor(bytes.length * cut));
      const at = [...new Set(splits.map((s) => Math.floor(whole.length * s)))].sort((a, b) => a - b);
      const pieces = [0, ...at]
        .map((from, i) => whole.slice(from, [...at, whole.length][i]))
        .filter((p) => p.length > 0);
      return { status, contentType, pieces, reset, encoding: encoding === 'lie' ? 'gzip' : encoding, earlyHints };
    });
}

const ENCODERS: Record<string, (body: Buffer) => Buffer> = {
  gzip: gzipSync,
  deflate: deflateSync,
  br: brotliCompressSync,
};

/** One error object in a 200, as OpenRouter answers a provider's late failure. */
const errorObject = fc.record({
  error: loose({ message: text, code: fc.oneof(fc.integer({ min: 100, max: 700 }), fc.string()), type: fc.string() }),
});

function jsonBody(provider: Provider): fc.Arbitrary<string> {
  const shaped: Record<Provider, fc.Arbitrary<unknown>> = {
    openai: fc.oneof({ weight: 5, arbitrary: openAIMessage(false) }, errorObject),
    anthropic: anthropicMessage(),
    gemini: geminiAnswer(),
    ollama: ollamaAnswer(),
    dify: difyAnswer(),
  };
  return fc.oneof(
    { weight: 4, arbitrary: shaped[provider].map((v) => JSON.stringify(v)) },
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
  );
}

function embeddingsBody(provider: Provider): fc.Arbitrary<string> {
  const vector = fc.oneof({ weight: 3, arbitrary: fc.array(fc.double(), { maxLength: 8 }) }, fc.jsonValue());
  const shaped: Partial<Record<Provider, fc.Arbitrary<unknown>>> = {
    openai: loose({
      object: fc.constant('list'),
      data: fc.array(
        loose({ object: fc.constant('embedding'), index: fc.nat(3), embedding: fc.oneof(vector, fc.base64String()) }),
        {
          maxLength: 3,
        },
      ),
      model: fc.string(),
      usage: loose({ prompt_tokens: count, total_tokens: count }),
    }),
    gemini: loose({
      embeddings: fc.array(loose({ values: vector }), { maxLength: 3 }),
      embedding: loose({ values: vector }),
    }),
    ollama: loose({ model: fc.string(), embeddings: fc.array(vector, { maxLength: 3 }), prompt_eval_count: count }),
  };
  return fc.oneof(
    { weight: 4, arbitrary: (shaped[provider] ?? fc.jsonValue()).map((v) => JSON.stringify(v)) },
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
  );
}

function streamBody(provider: Provider): fc.Arbitrary<string> {
  const frame = (event: fc.Arbitrary<unknown>) =>
    fc.oneof(
      { weight: 4, arbitrary: event.map((v) => JSON.stringify(v)) },
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
    );
  const frames: Record<Provider, fc.Arbitrary<string[]>> = {
    openai: fc
      .tuple(fc.array(frame(openAIMessage(true)), { maxLength: 6 }), fc.boolean())
      .map(([data, done]) => [...data.map((d) => `data: ${d}\n\n`), ...(done ? ['data: [DONE]\n\n'] : [])]),
    anthropic: fc
      .array(fc.tuple(fc.constantFrom(...ANTHROPIC_EVENTS, 'other'), frame(anthropicEvent())), { maxLength: 8 })
      .map((events) => events.map(([name, data]) => `event: ${name}\ndata: ${data}\n\n`)),
    gemini: fc.array(frame(geminiAnswer()), { maxLength: 6 }).map((data) => data.map((d) => `data: ${d}\r\n\r\n`)),
    ollama: fc.array(frame(ollamaAnswer()), { maxLength: 6 }).map((lines) => lines.map((l) => `${l}\n`)),
    dify: fc.array(frame(difyEvent()), { maxLength: 6 }).map((data) => data.map((d) => `data: ${d}\n\n`)),
  };
  return frames[provider].map((parts) => parts.join(''));
}

const toolCall = loose({
  index: fc.nat(3),
  id: fc.string(),
  type: fc.constant('function'),
  function: loose({ name: fc.string(), arguments: args }),
});

function openAIMessage(chunk: boolean) {
  const message = loose({
    role: fc.constant('assistant'),
    content: text,
    tool_calls: fc.array(toolCall, { maxLength: 2 }),
    refusal: text,
  });
  return loose({
    id: fc.string(),
    object: fc.constant(chunk ? 'chat.completion.chunk' : 'chat.completion'),
    model: fc.string(),
    choices: fc.array(
      loose({
        index: fc.nat(2),
        [chunk ? 'delta' : 'message']: message,
        finish_reason: fc.constantFrom('stop', 'length', 'tool_calls', 'content_filter', null),
      }),
      { maxLength: 2 },
    ),
    usage: loose({ prompt_tokens: count, completion_tokens: count, total_tokens: count }),
  });
}

const ANTHROPIC_EVENTS = [
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
] as const;

const anthropicUsage = loose({ input_tokens: count, output_tokens: count, cache_read_input_tokens: count });
const anthropicBlock = loose({
  type: fc.constantFrom('text', 'tool_use', 'thinking', 'other'),
  text: fc.string(),
  id: fc.string(),
  name: fc.string(),
  input: fc.jsonValue(),
});

function anthropicMessage() {
  return loose({
    id: fc.string(),
    type: fc.constant('message'),
    role: fc.constant('assistant'),
    content: fc.array(anthropicBlock, { maxLength: 3 }),
    stop_reason: fc.constantFrom('end_turn', 'max_tokens', 'tool_use', 'stop_sequence', null),
    usage: anthropicUsage,
  });
}

function anthropicEvent() {
  return loose({
    type: fc.constantFrom(...ANTHROPIC_EVENTS),
    index: fc.nat(3),
    message: anthropicMessage(),
    content_block: anthropicBlock,
    delta: loose({
      type: fc.constantFrom('text_delta', 'input_json_delta', 'thinking_delta'),
      text: fc.string(),
      partial_json: fc.string(),
      stop_reason: fc.constantFrom('end_turn', 'tool_use', null),
    }),
    usage: anthropicUsage,
    error: loose({ type: fc.constantFrom('overloaded_error', 'api_error'), message: fc.string() }),
  });
}

function geminiAnswer() {
  const part = loose({ text: fc.string(), functionCall: loose({ name: fc.string(), args: fc.jsonValue() }) });
  return loose({
    candidates: fc.array(
      loose({
        content: loose({ role: fc.constant('model'), parts: fc.array(part, { maxLength: 3 }) }),
        finishReason: fc.constantFrom('STOP', 'MAX_TOKENS', 'SAFETY', 'OTHER'),
        index: fc.nat(2),
      }),
      { maxLength: 2 },
    ),
    usageMetadata: loose({ promptTokenCount: count, candidatesTokenCount: count, totalTokenCount: count }),
    error: loose({ code: count, message: fc.string(), status: fc.string() }),
  });
}

function ollamaAnswer() {
  return loose({
    model: fc.string(),
    message: loose({
      role: fc.constant('assistant'),
      content: fc.string(),
      tool_calls: fc.array(loose({ function: loose({ name: fc.string(), arguments: fc.jsonValue() }) }), {
        maxLength: 2,
      }),
    }),
    done: fc.boolean(),
    done_reason: fc.constantFrom('stop', 'length'),
    prompt_eval_count: count,
    eval_count: count,
    error: fc.string(),
  });
}

const difyUsage = loose({ metadata: loose({ usage: loose({ prompt_tokens: count, completion_tokens: count }) }) });

function difyAnswer() {
  return fc
    .tuple(
      loose({ answer: fc.string(), conversation_id: fc.uuid(), message_id: fc.uuid(), task_id: fc.uuid() }),
      difyUsage,
    )
    .map(([a, b]) => ({ ...a, ...b }));
}

function difyEvent() {
  return fc
    .tuple(
      loose({
        event: fc.constantFrom(
          'message',
          'agent_message',
          'message_end',
          'message_replace',
          'error',
          'ping',
          'workflow_finished',
        ),
        answer: fc.string(),
        task_id: fc.uuid(),
        conversation_id: fc.uuid(),
        status: count,
        code: fc.string(),
        message: fc.string(),
      }),
      difyUsage,
    )
    .map(([a, b]) => ({ ...a, ...b }));
}
