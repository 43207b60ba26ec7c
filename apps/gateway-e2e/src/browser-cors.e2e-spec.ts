import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { oneChannelConfig, removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-browser-0123456789abcdef01234';
/** Debian's chromium package (.ci/run installs it), as the console's suite uses. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** A page's origin: a server of one empty page on a port of its own. */
async function pageOrigin(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A web app calling the gateway from a browser, in Chromium: its origin listed in CORS_ORIGINS may
 * call /v1 (preflight, JSON, a stream, the answer's headers); another origin is refused by the browser.
 */
describe('calls from a browser page (CORS)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let browser: Browser;
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };

  beforeAll(async () => {
    upstream = await startMockUpstream({ record: false });
    allowed = await pageOrigin();
    other = await pageOrigin();
    gateway = await startGateway({
      config: oneChannelConfig(upstream.url, KEY),
      env: { CORS_ORIGINS: allowed.origin },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await upstream?.close();
    for (const page of [allowed, other]) await new Promise((resolve) => page?.server.close(resolve));
    if (gateway) removeDir(gateway.dataDir);
  });

  /** Runs in the page: a JSON call and a streamed one, as a web app's fetch sends them. */
  const callFrom = async (origin: string) => {
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      return await page.evaluate(
        async ({ url, key }) => {
          const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
          const messages = [{ role: 'user', content: 'hi' }];
          try {
            const json = await fetch(`${url}/v1/chat/completions`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
            });
            const stream = await fetch(`${url}/v1/chat/completions`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true }),
            });
            return {
              status: json.status,
              content: ((await json.json()) as { choices: { message: { content: string } }[] }).choices[0].message
                .content,
              requestId: json.headers.get('x-request-id'),
              streamed: await stream.text(),
            };
          } catch (error) {
            return { error: String(error) };
          }
        },
        { url: gateway.url, key: KEY },
      );
    } finally {
      await page.close();
    }
  };

  it('serves a listed origin, its preflight, a stream and the headers it may read', async () => {
    const result = await callFrom(allowed.origin);
    expect(result).toMatchObject({ status: 200, content: 'Hello from the mock upstream.' });
    expect((result as { requestId: string }).requestId).toMatch(/^req_/);
    expect((result as { streamed: string }).streamed).toContain('data: [DONE]');
  });

  it('is refused by the browser for an origin not listed', async () => {
    expect(await callFrom(other.origin)).toEqual({ error: 'TypeError: Failed to fetch' });
  });
});
