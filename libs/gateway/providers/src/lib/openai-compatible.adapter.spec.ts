import { OpenAICompatibleAdapter } from './openai-compatible.adapter';
import { localTarget, localUpstreams } from './testing/local-upstream';
import type { Endpoint } from './upstream-target';

describe(OpenAICompatibleAdapter.name, () => {
  const adapter = new OpenAICompatibleAdapter();

  it.each([
    ['chat.completions', '/chat/completions'],
    ['completions', '/completions'],
    ['embeddings', '/embeddings'],
  ] as const)('supports %s at %s', (endpoint, path) => {
    expect(adapter.supports(endpoint)).toBe(true);
    expect(adapter.pathFor(endpoint)).toBe(path);
  });

  it('does not support an endpoint it has no path for', () => {
    expect(adapter.supports('realtime' as Endpoint)).toBe(false);
  });

  it('has a path for each OpenAI endpoint the gateway proxies', () => {
    expect(adapter.pathFor('moderations')).toBe('/moderations');
    expect(adapter.pathFor('images.generations')).toBe('/images/generations');
    expect(adapter.pathFor('rerank')).toBe('/rerank');
    expect(adapter.pathFor('audio.speech')).toBe('/audio/speech');
    expect(adapter.pathFor('audio.transcriptions')).toBe('/audio/transcriptions');
    expect(adapter.pathFor('images.edits')).toBe('/images/edits');
  });

  it('sends the channel key as a Bearer token, with the channel headers and JSON content type', () => {
    const target = localTarget('http://upstream.test/v1', {}, { apiKey: 'sk-channel', headers: { 'x-org': 'org-1' } });
    expect(adapter.headersFor(target)).toEqual({
      'user-agent': 'SynapseHub',
      'x-org': 'org-1',
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: 'Bearer sk-channel',
    });
  });

  it("names itself to upstreams (WAFs refuse calls without a User-Agent), unless the channel's headers do", () => {
    const own = localTarget('http://upstream.test/v1', {}, { headers: { 'User-Agent': 'acme-bot/2' } });
    const headers = adapter.headersFor(own);
    expect(Object.entries(headers).filter(([name]) => name.toLowerCase() === 'user-agent')).toEqual([
      ['User-Agent', 'acme-bot/2'],
    ]);
  });

  it('sends no authorization header for a channel without a key', () => {
    expect(adapter.headersFor(localTarget('http://upstream.test/v1'))).not.toHaveProperty('authorization');
  });

  it('builds the headers once per target, and again for a new snapshot of the channel', () => {
    const target = localTarget('http://upstream.test/v1', {}, { apiKey: 'sk-old' });
    expect(adapter.headersFor(target)).toBe(adapter.headersFor(target));
    const rotated = { ...target, apiKey: 'sk-new' };
    expect(adapter.headersFor(rotated).authorization).toBe('Bearer sk-new');
  });

  it("is what health checks ask: an authenticated GET of '/models'", () => {
    expect(adapter.healthPath).toBe('/models');
    expect(adapter.streamUsage).toBe(true);
  });

  describe('with the upstream client', () => {
    const local = localUpstreams();

    it('reaches the endpoint below the base URL with the channel key', async () => {
      const upstream = await local.upstream(({ res }) => res.end('{}'));
      const target = localTarget(`${upstream.url}/v1`, {}, { apiKey: 'sk-channel' });
      const call = local.client().call({
        target,
        path: adapter.pathFor('embeddings'),
        headers: adapter.headersFor(target),
        body: '{"input":"x"}',
      });
      await (await call.response).body.dump();
      call.finish();

      const [{ req }] = upstream.requests;
      expect(req.url).toBe('/v1/embeddings');
      expect(req.headers.authorization).toBe('Bearer sk-channel');
      expect(req.headers['content-type']).toBe('application/json');
    });
  });
});
