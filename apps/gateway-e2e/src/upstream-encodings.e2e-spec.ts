import Anthropic from '@anthropic-ai/sdk';
import { startMockHttpServer, type MockHttpServer } from '@synapse/testing';
import OpenAI from 'openai';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, createGzip, deflateSync, gzipSync } from 'node:zlib';
import { waitForLogEntry } from './support/request-log';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-encodings-0123456789abcdef0123';
const MAX_ANSWER_BYTES = 1024 * 1024;

const completion = (model: string) =>
  JSON.stringify({
    id: 'chatcmpl-enc',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: `answered in ${model}` }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  });

const chunk = (model: string, delta: Record<string, unknown>, usage?: Record<string, number>) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-enc',
    object: 'chat.completion.chunk',
    created: 1,
    model,
    choices: usage ? [] : [{ index: 0, delta, finish_reason: null }],
    ...(usage && { usage }),
  })}\n\n`;

/** Each model names how the upstream encodes its answer. */
const ENCODERS: Record<string, ((body: Buffer) => Buffer) | undefined> = {
  gzip: gzipSync,
  deflate: deflateSync,
  br: brotliCompressSync,
};

/**
 * An upstream may compress its answers: asked to by a channel's `Accept-Encoding` header (to save
 * bandwidth on megabytes of embeddings), or unasked (HTTP lets a server choose when a request names
 * no encoding). The gateway reads them (usage, translation) and the caller gets them plain.
 */
describe('compressed upstream answers (built gateway, openai and anthropic SDKs)', () => {
  let upstream: MockHttpServer;
  let gateway: GatewayProcess;
  let openai: OpenAI;
  /** Resolved by the streaming test once its caller holds the first word: the upstream waits for it. */
  let firstWordSeen: () => void = () => undefined;
  let waitedForCaller = false;

  beforeAll(async () => {
    upstream = await startMockHttpServer(async ({ res, body }) => {
      const model = String(body['model']);
      if (body['stream']) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
        const gzip = createGzip();
        gzip.pipe(res);
        for (const word of ['one ', 'two ', 'three']) {
          gzip.write(chunk(model, { content: word }));
          // Each event leaves the compressor at once, as a server that streams compressed must do.
          gzip.flush();
          if (word === 'one ') {
            // The rest comes only once the caller has the first word: a gateway that waited for the
            // whole answer before decoding would leave this to run out.
            waitedForCaller = await Promise.race([
              new Promise<boolean>((resolve) => (firstWordSeen = () => resolve(true))),
              sleep(5000).then(() => false),
            ]);
          }
          await sleep(20);
        }
        gzip.write(chunk(model, {}, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }));
        gzip.end('data: [DONE]\n\n');
        return;
      }
      const plain = Buffer.from(completion(model));
      if (model === 'refuse') {
        const error = { error: { message: 'max_tokens is too large: 999999', type: 'invalid_request_error' } };
        res
          .writeHead(400, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
          .end(gzipSync(JSON.stringify(error)));
      } else if (model === 'zstd') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' }).end(plain);
      } else if (model === 'broken') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(plain);
      } else if (model === 'bomb') {
        // 4 MiB of JSON-looking text that compresses to a few KiB: the bound is on what it expands to.
        const big = Buffer.concat([
          Buffer.from('{"pad":"'),
          Buffer.alloc(4 * MAX_ANSWER_BYTES, 'a'),
          Buffer.from('"}'),
        ]);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(big));
      } else {
        const encode = ENCODERS[model] ?? ((b: Buffer) => b);
        res
          .writeHead(200, {
            'content-type': 'application/json',
            'content-encoding': ENCODERS[model] ? model : 'identity',
          })
          .end(encode(plain));
      }
    });
    gateway = await startGateway({
      config: `
channels:
  - { name: up, baseUrl: "http://127.0.0.1:${upstream.port}/v1", models: [gzip, deflate, br, identity, refuse, zstd, broken, bomb], headers: { Accept-Encoding: "gzip, deflate, br" } }
routes:
  - { name: claude-enc, targets: [{ channel: up, model: gzip }] }
keys:
  - { name: k, key: ${KEY} }
`,
      env: { HEALTH_CHECK_INTERVAL_MS: '0', MAX_ANSWER_BYTES: String(MAX_ANSWER_BYTES) },
    });
    openai = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const ask = (model: string) =>
    openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();

  it.each(['gzip', 'deflate', 'br', 'identity'])(
    'hands the caller a %s answer plain, and logs its usage',
    async (model) => {
      const { data, response } = await ask(model);
      expect(data.choices[0].message.content).toBe(`answered in ${model}`);
      expect(response.headers.get('content-encoding')).toBeNull();
      const entry = await waitForLogEntry(gateway.dataDir, response.headers.get('x-request-id') as string);
      expect(entry).toMatchObject({ status: 200, promptTokens: 11, completionTokens: 7, usageSource: 'upstream' });
    },
  );

  it('streams a gzip event stream as it arrives, usage included', async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'gzip', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const words: string[] = [];
    for await (const part of stream) {
      words.push(part.choices[0]?.delta.content ?? '');
      if (words.join('') === 'one ') firstWordSeen();
    }
    expect(words.join('')).toBe('one two three');
    expect(waitedForCaller).toBe(true);
    const entry = await waitForLogEntry(gateway.dataDir, response.headers.get('x-request-id') as string);
    expect(entry).toMatchObject({ status: 200, promptTokens: 5, completionTokens: 3, usageSource: 'upstream' });
  });

  it('passes on the message of a gzip error answer', async () => {
    const error = (await ask('refuse').catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain('max_tokens is too large: 999999');
  });

  it('translates a gzip answer for an Anthropic caller', async () => {
    const anthropic = new Anthropic({ apiKey: KEY, baseURL: gateway.url, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: 'claude-enc',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'answered in gzip' }]);
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 7 });
  });

  it.each([
    ['zstd', /encoded \(Content-Encoding: zstd\), which the gateway cannot read/],
    ['broken', /could not be decoded \(Content-Encoding: gzip\): incorrect header check/],
    ['bomb', new RegExp(`larger than MAX_ANSWER_BYTES \\(${MAX_ANSWER_BYTES} bytes\\)`)],
  ])('answers an unreadable %s answer 502 in OpenAI’s shape, and logs why', async (model, why) => {
    const error = (await ask(model).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 502, error: { code: 'upstream_invalid_response' } });
    const entry = await waitForLogEntry(gateway.dataDir, error.requestID ?? '');
    expect(entry).toMatchObject({ status: 502, errorClass: 'upstream_invalid_response' });
    expect(entry.errorMessage).toMatch(why);
    // The gateway still serves.
    expect((await ask('gzip')).data.choices[0].message.content).toBe('answered in gzip');
  });
});
