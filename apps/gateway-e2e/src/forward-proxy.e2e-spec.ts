import {
  chatCompletion,
  chatCompletionEvents,
  selfSignedCertificate,
  startForwardProxy,
  type ForwardProxy,
  type TestCertificate,
} from '@synapse/testing';
import OpenAI from 'openai';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { freePort, removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { browse, startOidcProvider, type OidcTestProvider } from './support/oidc-provider';

const KEY = 'sk-forward-proxy-0123456789abcdef';
const PROXY_PASSWORD = 'proxy-s3cret-password';

/**
 * A gateway whose only way out is a forward proxy that asks for credentials (HTTPS_PROXY), in front
 * of an https upstream with a certificate of its own CA (NODE_EXTRA_CA_CERTS), as in a corporate
 * network: the tunnel, TLS to the upstream through it, and the upstream's name checked on its
 * certificate.
 */
describe('upstream calls through a forward proxy (built gateway, openai SDK)', () => {
  let certificate: TestCertificate;
  let upstream: Server;
  let proxy: ForwardProxy;
  let gateway: GatewayProcess;
  let openai: OpenAI;

  beforeAll(async () => {
    certificate = selfSignedCertificate();
    upstream = createServer(certificate, (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        if (JSON.parse(body).stream) {
          res
            .writeHead(200, { 'content-type': 'text/event-stream' })
            .end(chatCompletionEvents(['through ', 'the proxy']));
        } else res.writeHead(200, { 'content-type': 'application/json' }).end(chatCompletion('through the proxy'));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    proxy = await startForwardProxy({ user: 'gateway', password: PROXY_PASSWORD });
    gateway = await startGateway({
      config: `
channels:
  - { name: corp, baseUrl: "https://localhost:${port}/v1", models: [proxied] }
keys:
  - { name: k, key: ${KEY} }
`,
      env: {
        HEALTH_CHECK_INTERVAL_MS: '0',
        HTTPS_PROXY: `http://gateway:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`,
        NODE_EXTRA_CA_CERTS: certificate.certFile,
      },
    });
    openai = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    upstream?.closeAllConnections();
    upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
    certificate?.remove();
  });

  it('answers whole and streamed calls through the tunnel, TLS to the upstream checked on its name', async () => {
    const answer = await openai.chat.completions.create({
      model: 'proxied',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(answer.choices[0].message.content).toBe('through the proxy');
    const stream = await openai.chat.completions.create({
      model: 'proxied',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
    expect(text).toBe('through the proxy');
    const port = (upstream.address() as AddressInfo).port;
    expect(proxy.connects.map((c) => c.authority)).toContain(`localhost:${port}`);
    expect(new Set(proxy.connects.map((c) => c.authorization))).toEqual(
      new Set([`Basic ${Buffer.from(`gateway:${PROXY_PASSWORD}`).toString('base64')}`]),
    );
  });

  it("says at start which proxy it uses, never the proxy's password", () => {
    expect(gateway.output()).toContain(
      `Forward proxies (HTTPS_PROXY, HTTP_PROXY): https upstreams through http://127.0.0.1:${proxy.port}`,
    );
    expect(gateway.output()).not.toContain(PROXY_PASSWORD);
  });
});

/** The gateway's calls to its OpenID provider (discovery, keys, the code exchange) take the proxy too. */
describe('single sign-on through a forward proxy (built gateway, oidc-provider)', () => {
  const CONSOLE = 'http://console.example.test';
  let provider: OidcTestProvider;
  let proxy: ForwardProxy;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    const port = await freePort();
    provider = await startOidcProvider(
      { ada: { email: 'ada@example.com', email_verified: true } },
      {
        client_id: 'synapsehub',
        client_secret: 'e2e-proxied-oidc-client-secret',
        redirect_uris: [`http://127.0.0.1:${port}/api/auth/oidc/callback`],
      },
    );
    proxy = await startForwardProxy();
    gateway = await startGateway({
      port,
      env: {
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        CONSOLE_URL: CONSOLE,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: 'synapsehub',
        OIDC_CLIENT_SECRET: 'e2e-proxied-oidc-client-secret',
        OIDC_DEFAULT_ROLE: 'member',
        HEALTH_CHECK_INTERVAL_MS: '0',
        HTTP_PROXY: proxy.url,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await provider?.stop();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('signs in, every call to the provider tunnelled', async () => {
    const consoleUrl = await browse(`${gateway.url}/api/auth/oidc/login`, CONSOLE, 'ada');
    const code = new URL(consoleUrl).hash.slice('#code='.length);
    const response = await fetch(`${gateway.url}/api/auth/oidc/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(response.status).toBe(200);
    expect(proxy.connects.length).toBeGreaterThan(0);
    expect(new Set(proxy.connects.map((c) => c.authority))).toEqual(new Set([new URL(provider.issuer).host]));
  });
});
