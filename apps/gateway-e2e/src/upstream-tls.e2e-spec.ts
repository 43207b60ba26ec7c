import { chatCompletion, selfSignedCertificate, type TestCertificate } from '@synapse/testing';
import OpenAI from 'openai';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { waitForLogEntry } from './support/request-log';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-upstream-tls-0123456789abcdef';

async function httpsUpstream(tls: { key: Buffer; cert: Buffer }): Promise<Server> {
  const server = createServer(tls, (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(chatCompletion('over TLS')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Self-hosted models behind a company CA: the gateway trusts that CA through NODE_EXTRA_CA_CERTS,
 * and a certificate it refuses is named as such in the request log instead of "unreachable".
 */
describe('upstreams over TLS with a CA of their own (built gateway, openai SDK)', () => {
  const certificates: TestCertificate[] = [];
  let trusted: Server;
  let untrusted: Server;
  let gateway: GatewayProcess;
  let openai: OpenAI;

  beforeAll(async () => {
    const [company, other] = [selfSignedCertificate(), selfSignedCertificate()];
    certificates.push(company, other);
    trusted = await httpsUpstream(company);
    untrusted = await httpsUpstream(other);
    const port = (server: Server) => (server.address() as AddressInfo).port;
    gateway = await startGateway({
      config: `
channels:
  - { name: company, baseUrl: "https://localhost:${port(trusted)}/v1", models: [trusted] }
  - { name: by-address, baseUrl: "https://127.0.0.1:${port(trusted)}/v1", models: [wrong-name] }
  - { name: other, baseUrl: "https://localhost:${port(untrusted)}/v1", models: [untrusted] }
keys:
  - { name: k, key: ${KEY} }
`,
      env: { HEALTH_CHECK_INTERVAL_MS: '0', NODE_EXTRA_CA_CERTS: company.certFile },
    });
    openai = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const server of [trusted, untrusted]) {
      server?.closeAllConnections();
      server?.close();
    }
    if (gateway) removeDir(gateway.dataDir);
    for (const certificate of certificates) certificate.remove();
  });

  const ask = (model: string) => openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

  it('calls an upstream whose certificate is from the CA given in NODE_EXTRA_CA_CERTS', async () => {
    expect((await ask('trusted')).choices[0].message.content).toBe('over TLS');
  });

  it.each([
    ['wrong-name', "the upstream's TLS certificate is not for the base URL's host name (ERR_TLS_CERT_ALTNAME_INVALID)"],
    [
      'untrusted',
      "the upstream's TLS certificate is not from an authority the gateway trusts (DEPTH_ZERO_SELF_SIGNED_CERT): give the gateway its CA with NODE_EXTRA_CA_CERTS",
    ],
  ])('answers %s 502 and logs what was wrong with the certificate', async (model, why) => {
    const error = (await ask(model).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toMatchObject({ status: 502, error: { code: 'upstream_unreachable' } });
    expect(error.message).not.toContain('certificate');
    const entry = await waitForLogEntry(gateway.dataDir, error.requestID ?? '');
    expect(entry).toMatchObject({ status: 502, errorClass: 'upstream_unreachable', errorMessage: why });
  });
});
