import { Logger } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DifyHttpHandler } from '../ingress/dify/dify-http-handler';
import type { TokenCountService } from '../ingress/token-count.service';
import type { UnauthenticatedThrottle } from '../limits/unauthenticated-throttle';
import type { ProxyService } from '../pipeline/proxy.service';
import { ProxyHttpHandler } from './proxy-http-handler';

describe('ProxyHttpHandler, a fault of its own', () => {
  let server: Server;
  let url: string;
  let errors: jest.SpyInstance;
  /** What the Dify handler does with the calls it is asked about: here, fail as a bug would. */
  let dify: jest.Mock;
  /** The pipeline's handling of a call (it answers its own errors; a rejection is a bug). */
  let forward: jest.Mock;

  beforeAll(async () => {
    dify = jest.fn();
    forward = jest.fn();
    const handler = new ProxyHttpHandler(
      { authenticate: () => ({ id: 'key-1' }), forward } as unknown as ProxyService,
      {} as UnauthenticatedThrottle,
      {} as TokenCountService,
      { handle: dify } as unknown as DifyHttpHandler,
      { bodyLimit: 1024, trustedProxies: () => false },
    );
    // As main.ts plugs it in: whatever it leaves goes on (here a plain 404).
    server = createServer((req, res) => {
      if (!handler.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers that call with an OpenAI 500 and logs it, without the query string', async () => {
    dify.mockImplementation(() => {
      throw new Error('a bug in a handler');
    });
    const response = await fetch(`${url}/v1/conversations/c-1?api-key=sk-secret-in-query`, { method: 'DELETE' });
    expect(response.status).toBe(500);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^req_/);
    expect(await response.json()).toEqual({
      error: {
        message: `The gateway failed to handle the request (request id ${id}).`,
        type: 'server_error',
        param: null,
        code: 'internal_error',
      },
    });
    expect(errors).toHaveBeenCalledTimes(1);
    const logged = String(errors.mock.calls[0][0]);
    expect(logged).toContain(`${id}: DELETE /v1/conversations/c-1: Error: a bug in a handler`);
    expect(logged).not.toContain('sk-secret-in-query');
  });

  it('answers a call whose pipeline rejected, with the request id of the call', async () => {
    forward.mockRejectedValue(new TypeError('a bug after the checks'));
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-any' },
      body: '{"model":"m"}',
    });
    expect(response.status).toBe(500);
    const id = String(response.headers.get('x-request-id'));
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('internal_error');
    expect(forward).toHaveBeenCalledWith('chat.completions', expect.objectContaining({ id }), expect.anything());
    expect(String(errors.mock.calls[0][0])).toContain(
      `${id}: POST /v1/chat/completions: TypeError: a bug after the checks`,
    );
  });

  it('keeps serving the calls after it', async () => {
    dify.mockImplementationOnce(() => {
      throw new Error('once');
    });
    expect((await fetch(`${url}/v1/conversations`)).status).toBe(500);
    dify.mockReturnValue(false);
    expect((await fetch(`${url}/v1/conversations`)).status).toBe(404);
  });
});
