import { FormatError } from '../wire-format';
import { DIFY_UPSTREAM, DifyAdapter } from './dify.adapter';
import { canonicalToDifyRequest } from './dify-upstream-request';
import { DifyToCanonicalStream, difyToCanonicalResponse } from './dify-upstream-response';

const event = (data: object) => `data: ${JSON.stringify(data)}\n\n`;
const common = { task_id: 'task-1', message_id: 'msg-1', conversation_id: 'conv-1', created_at: 1767225600 };

/** Feeds the text a few characters at a time, as a network would. */
function feed(stream: DifyToCanonicalStream, text: string, size = 7): string {
  let out = '';
  for (let i = 0; i < text.length; i += size) out += stream.push(text.slice(i, i + size));
  return out + stream.end();
}

function chunksOf(sse: string): Record<string, unknown>[] {
  return sse
    .split('\n\n')
    .filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
    .map((block) => JSON.parse(block.slice(6)));
}

describe('canonicalToDifyRequest', () => {
  it('sends the last user message as the query, with inputs, user, mode and conversation', () => {
    const native = canonicalToDifyRequest(
      {
        model: 'support-bot',
        messages: [
          { role: 'system', content: 'ignored' },
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'answer' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Refund ' },
              { type: 'text', text: 'policy?' },
            ],
          },
        ],
        inputs: { lang: 'en' },
        user: 'cust-1',
        stream: true,
        conversation_id: 'conv-9',
      },
      { keyId: 'k1' },
    );
    expect(native).toEqual({
      query: 'Refund policy?',
      inputs: { lang: 'en' },
      user: 'cust-1',
      response_mode: 'streaming',
      conversation_id: 'conv-9',
    });
  });

  it('defaults inputs, takes the user from the gateway key, the conversation from metadata', () => {
    const native = canonicalToDifyRequest(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        metadata: { dify_conversation_id: 'conv-2' },
      },
      { keyId: 'k1' },
    );
    expect(native).toEqual({
      query: 'hi',
      inputs: {},
      user: 'key-k1',
      response_mode: 'blocking',
      conversation_id: 'conv-2',
    });
  });

  it('sends a Text Generator app (upstream model `completion`) its text as the query input, no conversation', () => {
    const native = canonicalToDifyRequest(
      {
        model: 'completion',
        messages: [{ role: 'user', content: 'Write a haiku' }],
        inputs: { tone: 'calm' },
        conversation_id: 'ignored',
        stream: true,
      },
      { keyId: 'k1' },
    );
    expect(native).toEqual({
      inputs: { query: 'Write a haiku', tone: 'calm' },
      user: 'key-k1',
      response_mode: 'streaming',
    });
    const stream = DIFY_UPSTREAM.streamTranscoder(false, native);
    stream.push(event({ event: 'message', ...common, answer: 'a' }));
    expect(stream.cancelRequest?.()).toEqual({ path: '/completion-messages/task-1/stop', body: { user: 'key-k1' } });
  });

  it('passes image URLs as remote files', () => {
    const native = canonicalToDifyRequest({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ],
    });
    expect(native['files']).toEqual([
      { type: 'image', transfer_method: 'remote_url', url: 'https://example.com/a.png' },
    ]);
  });

  it.each([
    [{ messages: [{ role: 'assistant', content: 'x' }] }, 'messages'],
    [{ messages: [{ role: 'user', content: '  ' }] }, 'messages'],
    [{ messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
    [{ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools'],
    [{ messages: [{ role: 'user', content: 'x' }], inputs: 'nope' }, 'inputs'],
    [
      {
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] }],
      },
      'messages',
    ],
  ])('refuses what Dify cannot take (%#)', (body, param) => {
    expect(() => canonicalToDifyRequest({ model: 'm', ...body })).toThrow(FormatError);
    try {
      canonicalToDifyRequest({ model: 'm', ...body });
    } catch (error) {
      expect((error as FormatError).param).toBe(param);
    }
  });
});

describe('difyToCanonicalResponse', () => {
  it('maps a blocking answer, its usage and conversation', () => {
    const out = difyToCanonicalResponse({
      event: 'message',
      ...common,
      id: 'msg-1',
      mode: 'chat',
      answer: 'Refunds within 30 days.',
      metadata: { usage: { prompt_tokens: 412, completion_tokens: 58, total_tokens: 470, total_price: '0.0000966' } },
    });
    expect(out).toMatchObject({
      id: 'msg-1',
      object: 'chat.completion',
      created: 1767225600,
      conversation_id: 'conv-1',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Refunds within 30 days.' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 412, completion_tokens: 58, total_tokens: 470 },
    });
  });
});

describe(DifyToCanonicalStream.name, () => {
  const usage = { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13, total_price: '0.1', currency: 'USD' };

  it('turns message events into chunks, message_end into finish, usage and [DONE], whatever the piece size', () => {
    const sse =
      event({ event: 'message', ...common, answer: 'Hel' }) +
      'event: ping\n\n' +
      event({ event: 'agent_message', ...common, answer: 'lo' }) +
      event({ event: 'agent_thought', ...common, thought: 'hidden' }) +
      event({ event: 'message_end', ...common, metadata: { usage }, files: null });
    for (const size of [1, 5, 64, 10_000]) {
      const stream = new DifyToCanonicalStream(true, 'u');
      const out = feed(stream, sse, size);
      const chunks = chunksOf(out);
      expect(chunks.map((c) => (c['choices'] as { delta: unknown }[])[0]?.delta)).toEqual([
        { role: 'assistant', content: '' },
        { content: 'Hel' },
        { content: 'lo' },
        {},
        undefined,
      ]);
      expect(chunks.every((c) => c['conversation_id'] === 'conv-1' && c['id'] === 'msg-1')).toBe(true);
      expect(chunks[3]?.['choices']).toMatchObject([{ finish_reason: 'stop' }]);
      expect(chunks[4]?.['usage']).toEqual({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
      expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
      expect(stream.usage).toEqual({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
    }
  });

  it('omits the usage chunk when not asked, but still reports usage', () => {
    const stream = new DifyToCanonicalStream(false, 'u');
    const out = feed(
      stream,
      event({ event: 'message', ...common, answer: 'x' }) +
        event({ event: 'message_end', ...common, metadata: { usage } }),
    );
    expect(chunksOf(out).some((c) => 'usage' in c)).toBe(false);
    expect(stream.usage).toMatchObject({ total_tokens: 13 });
  });

  it('appends a message_replace answer and finishes with content_filter', () => {
    const stream = new DifyToCanonicalStream(false, 'u');
    const out = feed(
      stream,
      event({ event: 'message', ...common, answer: 'bad words' }) +
        event({ event: 'message_replace', ...common, answer: 'Sorry, I cannot answer.' }) +
        event({ event: 'message_end', ...common, metadata: { usage } }),
    );
    const chunks = chunksOf(out);
    expect(chunks[2]?.['choices']).toMatchObject([{ delta: { content: '\n\nSorry, I cannot answer.' } }]);
    expect(chunks[3]?.['choices']).toMatchObject([{ finish_reason: 'content_filter' }]);
  });

  it('turns an error event into the in-stream error and ignores what follows', () => {
    const stream = new DifyToCanonicalStream(true, 'u');
    const out = feed(
      stream,
      event({ event: 'message', ...common, answer: 'a' }) +
        event({ event: 'error', message_id: 'msg-1', status: 400, code: 'provider_quota_exceeded', message: 'quota' }) +
        event({ event: 'message', ...common, answer: 'late' }),
    );
    const chunks = chunksOf(out);
    expect(chunks.at(-1)).toEqual({
      error: {
        message: 'provider_quota_exceeded: quota',
        type: 'server_error',
        param: null,
        code: 'upstream_stream_error',
      },
    });
    expect(out).not.toContain('late');
    expect(out).not.toContain('[DONE]');
  });

  it('ends a stream cut short without message_end cleanly', () => {
    const stream = new DifyToCanonicalStream(false, 'u');
    const out = feed(stream, event({ event: 'message', ...common, answer: 'a' }).slice(0, -1));
    expect(chunksOf(out).at(-1)?.['choices']).toMatchObject([{ finish_reason: 'stop' }]);
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('knows the stop call once the task started, and not after it ended', () => {
    const stream = new DifyToCanonicalStream(false, 'cust-1');
    expect(stream.cancelRequest()).toBeUndefined();
    stream.push(event({ event: 'message', ...common, answer: 'a' }));
    expect(stream.cancelRequest()).toEqual({ path: '/chat-messages/task-1/stop', body: { user: 'cust-1' } });
    stream.push(event({ event: 'message_end', ...common, metadata: { usage } }));
    expect(stream.cancelRequest()).toBeUndefined();
  });

  it('gets its user from the native request', () => {
    const stream = DIFY_UPSTREAM.streamTranscoder(false, { query: 'x', user: 'cust-7' });
    stream.push(event({ event: 'message', ...common, answer: 'a' }));
    expect(stream.cancelRequest?.()).toEqual({ path: '/chat-messages/task-1/stop', body: { user: 'cust-7' } });
  });
});

describe(DifyAdapter.name, () => {
  it('posts chat completions to /chat-messages with a Bearer app key', () => {
    const adapter = new DifyAdapter();
    expect(adapter.supports('chat.completions')).toBe(true);
    expect(adapter.supports('embeddings')).toBe(false);
    expect(adapter.pathFor('chat.completions', 'support-bot')).toBe('/chat-messages');
    expect(adapter.pathFor('chat.completions', 'completion')).toBe('/completion-messages');
    expect(adapter.healthPath).toBe('/parameters');
    const headers = adapter.headersFor({ apiKey: 'app-123', headers: { 'x-extra': '1' } } as never);
    expect(headers).toMatchObject({
      authorization: 'Bearer app-123',
      'x-extra': '1',
      'content-type': 'application/json',
    });
  });
});
