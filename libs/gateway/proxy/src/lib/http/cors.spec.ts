import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CorsPolicy } from './cors';

/** A real server that runs the policy ahead of a handler answering 200 with its own headers object. */
async function serve(policy: CorsPolicy): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined && policy.handle(req, res, origin)) return;
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('CorsPolicy', () => {
  let listed: { url: string; server: Server };
  let any: { url: string; server: Server };

  beforeAll(async () => {
    listed = await serve(new CorsPolicy(['https://app.example']));
    any = await serve(new CorsPolicy(['*']));
  });

  afterAll(async () => {
    for (const { server } of [listed, any]) await new Promise((resolve) => server.close(resolve));
  });

  const preflight = (url: string, origin: string, path = '/v1/chat/completions') =>
    fetch(`${url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('answers the preflight of a listed origin with what the SDKs send', async () => {
    const answer = await preflight(listed.url, 'https://app.example');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
    expect(answer.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(answer.headers.get('access-control-allow-headers')).toContain('x-stainless-retry-count');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses the preflight of another origin (no allow headers)', async () => {
    const answer = await preflight(listed.url, 'https://evil.example');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("adds the origin and the readable headers to a call's answer, whatever headers the handler writes", async () => {
    const answer = await fetch(`${listed.url}/v1/chat/completions`, { headers: { origin: 'https://app.example' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(answer.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(answer.headers.get('vary')).toBe('Origin');
    expect(answer.headers.get('x-request-id')).toBe('req_1');
  });

  it('answers any origin with * when told to', async () => {
    const answer = await preflight(any.url, 'https://anywhere.example');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('leaves paths outside /v1 alone (the admin API, sign-in)', async () => {
    const answer = await fetch(`${any.url}/graphql`, { headers: { origin: 'https://anywhere.example' } });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(any.url, 'https://anywhere.example', '/api/auth/login')).status).toBe(200);
  });
});
