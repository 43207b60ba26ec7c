import {
  audioFixture,
  MOCK_IMAGE_B64,
  MOCK_SPEECH,
  MOCK_SPEECH_CHUNKS,
  startMockGemini,
  startMockUpstream,
  type MockGemini,
  type MockUpstream,
} from '@synapse/testing';
import OpenAI, { toFile } from 'openai';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { accessToken, graphql } from './support/admin-session';
import { apiError } from './support/openai-calls';
import { eventually } from './support/eventually';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';

const execFileAsync = promisify(execFile);
/** Debian's Python, where python3-httpx installs (a pyenv or venv python3 may not have it). */
const PYTHON = '/usr/bin/python3';

function pythonHttpx(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import httpx'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const KEY = 'sk-images-e2e-0123456789abcdef01';
const CHAT_ONLY_KEY = 'sk-images-chat-only-0123456789ab';
/** A key with a daily budget of $0.0002: 13 characters of tts-1 at $15 a million, a fifth of a $0.001 call. */
const BUDGET_KEY = 'sk-budget-e2e-0123456789abcdef0';
/** $ per million tokens: gpt-image-1's text input and image output. */
const PRICE = { input: 5, output: 40 };

/**
 * OpenAI's Images and Moderations APIs through the gateway, as `client.images` and
 * `client.moderations` call them, and reranking as curl (or Jina's and Cohere's HTTP clients) posts it.
 */
describe('images, moderations, reranking, speech and uploads against the built gateway', () => {
  let upstream: MockUpstream;
  let gemini: MockGemini;
  let gateway: GatewayProcess;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startMockUpstream({ record: true });
    gemini = await startMockGemini({ apiKey: 'AIza-images-e2e' });
    gateway = await startGateway({
      config: `
channels:
  - { name: openai, baseUrl: ${upstream.url}, models: [gpt-image-1, dall-e-2, omni-moderation-latest, jina-reranker-v2, gpt-4o-mini-tts, tts-1, gpt-4o-transcribe, whisper-1] }
  - { name: gemini, type: gemini, baseUrl: ${gemini.url}, apiKey: AIza-images-e2e, models: [gemini-2.5-flash] }
prices:
  gpt-image-1: { input: ${PRICE.input}, output: ${PRICE.output} }
  jina-reranker-v2: { input: 0.02, output: 0 }
  gpt-4o-transcribe: { input: 2.5, output: 10 }
routes:
  - { name: transcriber, targets: [{ channel: openai, model: whisper-1 }] }
  # Gemini first: it offers no Images API, so image calls must be served by the OpenAI target.
  - name: painter
    strategy: priority
    targets:
      - { channel: gemini, model: gemini-2.5-flash, priority: 2 }
      - { channel: openai, model: gpt-image-1, priority: 1 }
keys:
  - { name: ci, key: ${KEY}, models: ["*"] }
  - { name: chat-only, key: ${CHAT_ONLY_KEY}, models: ["*"], endpoints: [chat.completions] }
  - { name: budgeted, key: ${BUDGET_KEY}, models: ["*"], limits: { dailyBudgetUsd: 0.0002 } }
`,
      // 1 MiB: room for this suite's files, and a limit an upload can be seen to pass.
      env: { MAX_BODY_BYTES: String(1024 * 1024) },
    });
    client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  /** POST /v1/rerank as curl or Jina's and Cohere's HTTP clients send it. */
  const rerank = (body: object, key = KEY) =>
    fetch(`${gateway.baseURL}/rerank`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await gemini?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('classifies texts with /v1/moderations and logs the call without tokens or cost', async () => {
    const { data, request_id } = await client.moderations
      .create({ model: 'omni-moderation-latest', input: ['a kind word', 'an attack plan'] })
      .withResponse();
    expect(data.results.map((r) => r.flagged)).toEqual([false, true]);
    expect(data.results[1].category_scores.violence).toBeCloseTo(0.91);
    const sent = upstream.requests.at(-1);
    expect(sent?.path).toBe('/v1/moderations');
    expect(sent?.body).toEqual({ model: 'omni-moderation-latest', input: ['a kind word', 'an attack plan'] });

    const entry = await waitForLogEntry(gateway.dataDir, String(request_id));
    expect(entry).toMatchObject({ endpoint: 'moderations', status: 200, requestedModel: 'omni-moderation-latest' });
    expect(entry.promptTokens).toBeNull();
    expect(entry.usageSource).toBeNull();
    expect(entry.costUsd).toBeNull();
  });

  it('generates images with /v1/images/generations: the images, and the usage priced into the log', async () => {
    const { data, request_id } = await client.images
      .generate({ model: 'gpt-image-1', prompt: 'a lighthouse at dusk', n: 2, size: '1024x1024' })
      .withResponse();
    expect(data.data?.map((image) => image.b64_json)).toEqual([MOCK_IMAGE_B64, MOCK_IMAGE_B64]);
    expect(data.usage).toMatchObject({ input_tokens: 14, output_tokens: 272 });
    expect(upstream.requests.at(-1)?.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'a lighthouse at dusk',
      n: 2,
      size: '1024x1024',
    });

    const entry = await waitForLogEntry(gateway.dataDir, String(request_id));
    expect(entry).toMatchObject({
      endpoint: 'images.generations',
      status: 200,
      promptTokens: 14,
      completionTokens: 272,
      usageSource: 'upstream',
    });
    expect(entry.costUsd).toBeCloseTo((14 * PRICE.input + 272 * PRICE.output) / 1e6, 12);
  });

  it('streams an image generation as its events come, and logs their usage', async () => {
    const stream = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 'a lighthouse at dusk',
      stream: true,
      partial_images: 1,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['image_generation.partial_image', 'image_generation.completed']);
    // Nothing the gateway adds for chat streams (stream_options) goes to the Images API.
    expect(upstream.requests.at(-1)?.body['stream_options']).toBeUndefined();

    const { response } = await client.images
      .generate({ model: 'gpt-image-1', prompt: 'again', stream: true })
      .withResponse();
    const id = response.headers.get('x-request-id');
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const entry = await waitForLogEntry(gateway.dataDir, String(id));
    expect(entry).toMatchObject({
      endpoint: 'images.generations',
      stream: true,
      promptTokens: 14,
      completionTokens: 272,
    });
  });

  it('refuses what the gateway cannot route, in OpenAI error objects', async () => {
    const missingPrompt = await apiError(
      client.images.generate({ model: 'gpt-image-1' } as unknown as OpenAI.ImageGenerateParamsNonStreaming),
    );
    expect(missingPrompt.status).toBe(400);
    expect(missingPrompt.param).toBe('prompt');

    const noModel = await apiError(client.moderations.create({ input: 'hello' }));
    expect(noModel.status).toBe(400);
    expect(noModel.param).toBe('model');

    // A route that mixes channel types passes over the one without the API, without blaming it.
    const { data: painted, response } = await client.images.generate({ model: 'painter', prompt: 'x' }).withResponse();
    expect(painted.data?.[0].b64_json).toBe(MOCK_IMAGE_B64);
    expect(response.headers.get('x-synapse-attempts')).toBe('1');
    expect(upstream.requests.at(-1)?.body['model']).toBe('gpt-image-1');

    // A Gemini channel offers no Images API: said so, nothing sent to it.
    const notOffered = await apiError(client.images.generate({ model: 'gemini-2.5-flash', prompt: 'x' }));
    expect(notOffered.status).toBe(404);
    expect(notOffered.message).toContain('images.generations');
    expect(gemini.requests).toHaveLength(0);

    // A key limited to chat may not generate images.
    const chatOnly = new OpenAI({ apiKey: CHAT_ONLY_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const refused = await apiError(chatOnly.images.generate({ model: 'gpt-image-1', prompt: 'x' }));
    expect(refused.status).toBe(403);
    expect(refused.code).toBe('endpoint_not_allowed');
  });
  it('reranks documents with /v1/rerank (Jina and vLLM shape), logs the tokens and prices them', async () => {
    const response = await rerank({
      model: 'jina-reranker-v2',
      query: 'organic coffee beans',
      documents: ['tea leaves', 'fresh organic coffee beans', 'coffee mugs'],
      top_n: 2,
      return_documents: true,
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { results: { index: number; document: { text: string } }[] };
    expect(answer.results.map((r) => r.index)).toEqual([1, 2]);
    expect(answer.results[0].document.text).toBe('fresh organic coffee beans');
    expect(upstream.requests.at(-1)?.path).toBe('/v1/rerank');

    const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
    // 3 query words and 8 document words, in the mock's count.
    expect(entry).toMatchObject({ endpoint: 'rerank', promptTokens: 11, completionTokens: 0, usageSource: 'upstream' });
    expect(entry.costUsd).toBeCloseTo((11 * 0.02) / 1e6, 12);

    const noQuery = await rerank({ model: 'jina-reranker-v2', documents: ['a'] });
    expect(noQuery.status).toBe(400);
    expect(((await noQuery.json()) as { error: { param: string } }).error.param).toBe('query');
  });
  describe('speech (/v1/audio/speech)', () => {
    const speak = (extra: Record<string, unknown> = {}) =>
      client.audio.speech.create({
        model: 'gpt-4o-mini-tts',
        voice: 'alloy',
        input: 'Hello there',
        ...extra,
      } as OpenAI.Audio.SpeechCreateParams);

    const readerOf = (response: Response) => {
      if (!response.body) throw new Error('the answer has no body');
      return response.body.getReader();
    };

    it('relays the audio bytes as they arrive, under the upstream type, and logs the call', async () => {
      const response = await speak();
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.concat(MOCK_SPEECH_CHUNKS));
      const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
      expect(entry).toMatchObject({ endpoint: 'audio.speech', status: 200, promptTokens: null, usageSource: null });
      expect(upstream.requests.at(-1)?.path).toBe('/v1/audio/speech');
    });

    it('passes the first bytes on before the upstream has finished (no whole-answer buffering)', async () => {
      const response = await speak({ mock: { gate: 'speech-first-bytes' } });
      const reader = readerOf(response);
      const first = await reader.read();
      expect(Buffer.from(first.value ?? [])).toEqual(MOCK_SPEECH_CHUNKS[0]);
      upstream.release('speech-first-bytes');
      let rest = 0;
      for (let part = await reader.read(); !part.done; part = await reader.read()) rest += part.value.length;
      expect(rest).toBe(MOCK_SPEECH_CHUNKS[1].length + MOCK_SPEECH_CHUNKS[2].length);
    });

    it('a caller that hangs up mid-audio ends the upstream call', async () => {
      const before = upstream.aborted;
      const controller = new AbortController();
      const response = await client.audio.speech.create(
        {
          model: 'gpt-4o-mini-tts',
          voice: 'alloy',
          input: 'Hello there',
          mock: { gate: 'speech-never-released' },
        } as OpenAI.Audio.SpeechCreateParams,
        { signal: controller.signal },
      );
      await readerOf(response).read();
      controller.abort();
      await eventually(() => expect(upstream.aborted).toBe(before + 1), { timeoutMs: 5000 });
    });

    it('relays speech events (stream_format "sse") and logs their usage', async () => {
      const response = await speak({ stream_format: 'sse' });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const events = (await response.text())
        .split('\n\n')
        .filter((block) => block.startsWith('data: '))
        .map((block) => JSON.parse(block.slice(6)) as { type: string; audio?: string });
      expect(events.map((e) => e.type)).toEqual([
        'speech.audio.delta',
        'speech.audio.delta',
        'speech.audio.delta',
        'speech.audio.done',
      ]);
      const audio = Buffer.concat(events.flatMap((e) => (e.audio ? [Buffer.from(e.audio, 'base64')] : [])));
      expect(audio).toEqual(Buffer.concat(MOCK_SPEECH_CHUNKS));
      const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
      expect(entry).toMatchObject({ endpoint: 'audio.speech', promptTokens: 5, completionTokens: 40 });
      // Priced by its tokens (the built-in $0.60 and $12 a million), not also by the minutes of audio.
      expect(entry.costUsd).toBeCloseTo((5 * 0.6 + 40 * 12) / 1e6, 12);
    });

    it('refuses a call without input in an OpenAI error, before any upstream call', async () => {
      const calls = upstream.requests.length;
      const error = await apiError(speak({ input: undefined }));
      expect(error.status).toBe(400);
      expect(error.param).toBe('input');
      expect(upstream.requests.length).toBe(calls);
    });
  });
  describe('uploads: transcriptions, translations and image edits (multipart forms)', () => {
    /** Some bytes standing for a recording: the gateway must deliver them unchanged. */
    const AUDIO = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7) % 256));
    const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const audioFile = () => toFile(AUDIO, 'meeting.wav', { type: 'audio/wav' });

    it('transcribes an upload: the file arrives unchanged, the usage is logged and priced', async () => {
      const { data, request_id } = await client.audio.transcriptions
        .create({ file: await audioFile(), model: 'gpt-4o-transcribe', language: 'en' })
        .withResponse();
      expect(data.text).toBe('Hello from the mock upstream.');
      const sent = upstream.requests.at(-1);
      expect(sent?.path).toBe('/v1/audio/transcriptions');
      expect(sent?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(sent?.body).toMatchObject({
        model: 'gpt-4o-transcribe',
        language: 'en',
        file: { filename: 'meeting.wav', type: 'audio/wav', size: AUDIO.length, sha256: sha256(AUDIO) },
      });
      const entry = await waitForLogEntry(gateway.dataDir, String(request_id));
      expect(entry).toMatchObject({
        endpoint: 'audio.transcriptions',
        status: 200,
        promptTokens: 20,
        completionTokens: 5,
        usageSource: 'upstream',
        audioSeconds: null,
      });
      expect(entry.costUsd).toBeCloseTo((20 * 2.5 + 5 * 10) / 1e6, 12);
    });

    it("sends the route's model in the form, the file and other fields untouched", async () => {
      const text = await client.audio.transcriptions.create({
        file: await audioFile(),
        model: 'transcriber',
        response_format: 'text',
      });
      expect(String(text).trim()).toBe('Hello from the mock upstream.');
      expect(upstream.requests.at(-1)?.body).toMatchObject({
        model: 'whisper-1',
        response_format: 'text',
        file: { filename: 'meeting.wav', size: AUDIO.length, sha256: sha256(AUDIO) },
      });
    });

    it("takes curl -F as OpenAI's docs show it, a file near the size limit, the route's model written into the form", async () => {
      // Bytes full of line ends and dashes, as audio often is; 900 KiB against the suite's 1 MiB limit.
      const recording = Buffer.from(Array.from({ length: 900 * 1024 }, (_, i) => [13, 10, 45, 45, i % 256][i % 5]));
      const dir = mkdtempSync(join(tmpdir(), 'curl-upload-'));
      const file = join(dir, 'interview.mp3');
      writeFileSync(file, recording);
      try {
        const { stdout } = await execFileAsync('curl', [
          ...['-sS', '-m', '10', `${gateway.baseURL}/audio/transcriptions`],
          ...['-H', `Authorization: Bearer ${KEY}`, '-H', 'Content-Type: multipart/form-data'],
          ...['-F', `file=@${file}`, '-F', 'model=transcriber', '-F', 'response_format=json'],
        ]);
        expect(JSON.parse(stdout)).toMatchObject({ text: 'Hello from the mock upstream.' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const sent = upstream.requests.at(-1);
      expect(sent?.body).toEqual({
        model: 'whisper-1',
        response_format: 'json',
        file: {
          filename: 'interview.mp3',
          type: expect.any(String),
          size: recording.length,
          sha256: sha256(recording),
        },
      });
    });

    // The openai Python SDK sends uploads with httpx: its fields first, then the files. Debian's
    // python3-httpx (.ci/run installs it); skipped on a machine without it, outside CI.
    (pythonHttpx() || process.env['CI'] === 'true' ? it : it.skip)(
      "takes a form as Python's httpx writes it (the openai Python SDK's transport), the route's model written in",
      async () => {
        const script = [
          'import httpx, os, sys',
          'audio = bytes((i * 7) % 256 for i in range(40000))',
          'r = httpx.post(os.environ["URL"] + "/audio/transcriptions",',
          '  headers={"Authorization": "Bearer " + os.environ["KEY"]},',
          '  data={"model": "transcriber", "language": "en"},',
          '  files={"file": ("réunion.wav", audio, "audio/wav")})',
          'sys.stdout.write(str(r.status_code) + " " + r.text)',
        ].join('\n');
        const { stdout } = await execFileAsync(PYTHON, ['-c', script], {
          env: { ...process.env, URL: gateway.baseURL, KEY },
        });
        expect(stdout.slice(0, 4)).toBe('200 ');
        expect(JSON.parse(stdout.slice(4))).toMatchObject({ text: 'Hello from the mock upstream.' });
        expect(upstream.requests.at(-1)?.body).toEqual({
          model: 'whisper-1',
          language: 'en',
          file: { filename: 'réunion.wav', type: 'audio/wav', size: AUDIO.length, sha256: sha256(AUDIO) },
        });
      },
    );

    it('streams a transcription (stream=true) as its events come, and logs their usage', async () => {
      const { data: stream, response } = await client.audio.transcriptions
        .create({ file: await audioFile(), model: 'gpt-4o-transcribe', stream: true })
        .withResponse();
      const events: string[] = [];
      for await (const event of stream) events.push(event.type);
      expect(events).toEqual(['transcript.text.delta', 'transcript.text.delta', 'transcript.text.done']);
      const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
      expect(entry).toMatchObject({
        endpoint: 'audio.transcriptions',
        stream: true,
        promptTokens: 20,
        completionTokens: 5,
      });
    });

    it('translates an upload', async () => {
      const translation = await client.audio.translations.create({ file: await audioFile(), model: 'whisper-1' });
      expect(translation.text).toBe('Hello, translated.');
      expect(upstream.requests.at(-1)?.path).toBe('/v1/audio/translations');
    });

    it('edits an image and makes variations of one: the image goes as a form, the images come back', async () => {
      const png = Buffer.from(MOCK_IMAGE_B64, 'base64');
      const edited = await client.images.edit({
        model: 'gpt-image-1',
        image: await toFile(png, 'in.png', { type: 'image/png' }),
        prompt: 'add a hat',
      });
      expect(edited.data?.[0].b64_json).toBe(MOCK_IMAGE_B64);
      expect(upstream.requests.at(-1)?.body).toMatchObject({
        model: 'gpt-image-1',
        prompt: 'add a hat',
        image: { filename: 'in.png', size: png.length, sha256: sha256(png) },
      });

      const varied = await client.images.createVariation({
        model: 'dall-e-2',
        image: await toFile(png, 'in.png', { type: 'image/png' }),
        n: 2,
      });
      expect(varied.data).toHaveLength(2);
      expect(upstream.requests.at(-1)).toMatchObject({
        path: '/v1/images/variations',
        body: { model: 'dall-e-2', n: '2', image: { size: png.length, sha256: sha256(png) } },
      });
    });

    it('refuses bodies that are not forms, forms without a file, and unreadable forms, in OpenAI errors', async () => {
      const calls = upstream.requests.length;
      const post = (body: string | FormData, contentType?: string) =>
        fetch(`${gateway.baseURL}/audio/transcriptions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, ...(contentType && { 'content-type': contentType }) },
          body,
        });
      const json = await post(JSON.stringify({ model: 'whisper-1', file: 'x' }), 'application/json');
      expect(json.status).toBe(400);
      expect(await json.json()).toMatchObject({ error: { code: 'invalid_content_type' } });

      const noFile = new FormData();
      noFile.append('model', 'whisper-1');
      const missing = await post(noFile);
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ error: { param: 'file' } });

      const broken = await post('--x\r\nnot a form', 'multipart/form-data; boundary=x');
      expect(broken.status).toBe(400);
      expect(await broken.json()).toMatchObject({ error: { code: 'invalid_body' } });

      // Past MAX_BODY_BYTES: 413 in OpenAI's shape, through the SDK.
      const large = await apiError(
        client.audio.transcriptions.create({
          file: await toFile(Buffer.alloc(2 * 1024 * 1024, 1), 'long.wav', { type: 'audio/wav' }),
          model: 'whisper-1',
        }),
      );
      expect(large.status).toBe(413);
      expect(large.code).toBe('request_too_large');
      expect(upstream.requests.length).toBe(calls);
    });
  });

  describe('prices that are not by tokens (audio minutes, characters, calls)', () => {
    it('prices whisper-1 by the minutes of audio the upstream reports (the built-in $0.006 a minute)', async () => {
      const { request_id } = await client.audio.transcriptions
        .create({ file: await toFile(Buffer.alloc(1000, 7), 'a.wav', { type: 'audio/wav' }), model: 'whisper-1' })
        .withResponse();
      const entry = await waitForLogEntry(gateway.dataDir, String(request_id));
      // The mock reports 3 seconds.
      expect(entry).toMatchObject({ endpoint: 'audio.transcriptions', promptTokens: 0, usageSource: 'upstream' });
      expect(entry.costUsd).toBeCloseTo((3 / 60) * 0.006, 12);
    });

    it("prices whisper-1's text, srt and vtt answers (no usage in them) by the uploaded file's length; JSON's seconds win", async () => {
      // 7.38 s of MP3 (ffprobe): billed as 8 s.
      const recording = () => toFile(audioFixture('tone.mp3'), 'standup.mp3', { type: 'audio/mpeg' });
      for (const format of ['text', 'srt'] as const) {
        const { data, response } = await client.audio.transcriptions
          .create({ file: await recording(), model: 'whisper-1', response_format: format })
          .withResponse();
        expect(String(data)).toContain('Hello from the mock upstream.');
        const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
        expect(entry).toMatchObject({
          endpoint: 'audio.transcriptions',
          status: 200,
          promptTokens: null,
          usageSource: null,
          audioSeconds: 8,
        });
        // No usage: no tokens claimed, the cost from the file's length.
        expect(entry.costUsd).toBeCloseTo((8 / 60) * 0.006, 12);
      }

      const { request_id } = await client.audio.transcriptions
        .create({ file: await recording(), model: 'whisper-1' })
        .withResponse();
      const reported = await waitForLogEntry(gateway.dataDir, String(request_id));
      // The mock's JSON says 3 seconds: the upstream's count is the one it bills.
      expect(reported).toMatchObject({ promptTokens: 0, usageSource: 'upstream', audioSeconds: 3 });
      expect(reported.costUsd).toBeCloseTo((3 / 60) * 0.006, 12);
    });

    it("reserves an upload's minutes against a budget before the call", async () => {
      const budgeted = new OpenAI({ apiKey: BUDGET_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
      const calls = upstream.requests.length;
      // 8 s at $0.006 a minute: $0.0008, over the key's $0.0002 a day.
      const refused = await apiError(
        budgeted.audio.transcriptions.create({
          file: await toFile(audioFixture('tone.webm'), 'standup.webm', { type: 'audio/webm' }),
          model: 'whisper-1',
          response_format: 'srt',
        }),
      );
      expect(refused.status).toBe(429);
      expect(upstream.requests.length).toBe(calls);
    });

    it("prices gpt-4o-mini-tts's plain audio (no usage in it) by the minutes it relayed, in each of OpenAI's formats", async () => {
      for (const [format, audio] of Object.entries(MOCK_SPEECH)) {
        const response = await client.audio.speech.create({
          model: 'gpt-4o-mini-tts',
          voice: 'alloy',
          input: 'Hello there',
          response_format: format as OpenAI.Audio.SpeechCreateParams['response_format'],
        });
        expect(response.headers.get('content-type')).toBe(audio.type);
        expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.concat(audio.chunks));
        const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
        expect(entry).toMatchObject({
          endpoint: 'audio.speech',
          status: 200,
          promptTokens: null,
          usageSource: null,
          audioSeconds: Math.ceil(audio.seconds),
        });
        // Whole seconds rounded up, at the built-in $0.015 a minute.
        expect({ format, cost: entry.costUsd }).toEqual({
          format,
          cost: expect.closeTo((Math.ceil(audio.seconds) / 60) * 0.015, 12),
        });
      }
    });

    it('prices tts-1 by the characters of its input, an emoji counting as one (the built-in $15 a million)', async () => {
      const response = await client.audio.speech.create({
        model: 'tts-1',
        voice: 'alloy',
        input: 'Hello there, 😀 world',
      });
      await response.arrayBuffer();
      const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
      expect(entry).toMatchObject({ endpoint: 'audio.speech', status: 200, promptTokens: null });
      expect(entry.costUsd).toBeCloseTo((20 * 15) / 1e6, 12);
    });

    it("reserves a speech's characters against a budget before the call: over it is refused, within it served", async () => {
      const budgeted = new OpenAI({ apiKey: BUDGET_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
      const calls = upstream.requests.length;
      // 20 characters: $0.0003, over the $0.0002 left.
      const refused = await apiError(
        budgeted.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'twenty characters!!!' }),
      );
      expect(refused.status).toBe(429);
      expect(upstream.requests.length).toBe(calls);
      // 10 characters: $0.00015.
      const served = await budgeted.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'ten chars!' });
      expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.concat(MOCK_SPEECH_CHUNKS));
    });

    it('adds a per-call price set at runtime to the tokens, and refuses a price with nothing to charge', async () => {
      const token = await accessToken(gateway.url, 'admin@synapsehub.local', 'e2e-admin-password');
      const set = await graphql(
        gateway.url,
        `
          mutation {
            setModelPrice(input: { model: "jina-reranker-v2", input: 0.02, output: 0, perCall: 0.001 }) {
              model
              source
              perCall
              perMinute
              perMillionCharacters
            }
          }
        `,
        token,
      );
      expect(set.data?.['setModelPrice']).toEqual({
        model: 'jina-reranker-v2',
        source: 'runtime',
        perCall: 0.001,
        perMinute: null,
        perMillionCharacters: null,
      });
      const call = { model: 'jina-reranker-v2', query: 'coffee', documents: ['tea', 'coffee beans'] };
      const response = await rerank(call);
      expect(response.status).toBe(200);
      const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
      // 1 query word and 3 document words, in the mock's count.
      expect(entry.costUsd).toBeCloseTo((4 * 0.02) / 1e6 + 0.001, 12);

      // The per-call price is reserved before the call: $0.001 is more than the budgeted key has left.
      const calls = upstream.requests.length;
      const overBudget = await rerank(call, BUDGET_KEY);
      expect(overBudget.status).toBe(429);
      expect(upstream.requests.length).toBe(calls);

      const empty = await graphql(
        gateway.url,
        'mutation { setModelPrice(input: { model: "m", input: 1 }) { model } }',
        token,
      );
      expect(empty.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(empty.errors?.[0]?.message).toContain('perCall, perMinute or perMillionCharacters');
    });
  });
});
