import { selfSignedCertificate, type TestCertificate } from '@synapse/testing';
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { failureOf, localTarget, localUpstreams } from './testing/local-upstream';

/**
 * An upstream whose TLS the gateway refuses: a self-hosted model with its own CA, or an https base
 * URL at a port that speaks http. "Unreachable" alone sent operators to the network.
 */
describe('UpstreamClient: TLS refused', () => {
  const local = localUpstreams();
  let certificate: TestCertificate;
  let selfSigned: Server;

  beforeAll(async () => {
    certificate = selfSignedCertificate();
    selfSigned = createServer(certificate, (_, res) => res.end('{}'));
    selfSigned.listen(0, '127.0.0.1');
    await once(selfSigned, 'listening');
  });

  afterAll(() => {
    selfSigned.close();
    certificate.remove();
  });

  const call = (baseUrl: string) =>
    local.client().call({ target: localTarget(baseUrl), path: '/chat/completions', headers: {}, body: '{}' }).response;

  it('a certificate from an authority not trusted here: says so, and how to trust it', async () => {
    const baseUrl = `https://localhost:${(selfSigned.address() as AddressInfo).port}/v1`;
    const failure = await failureOf(call(baseUrl));
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toBe(
      "the upstream's TLS certificate is not from an authority the gateway trusts (DEPTH_ZERO_SELF_SIGNED_CERT): give the gateway its CA with NODE_EXTRA_CA_CERTS",
    );
    // The health check tells the same.
    const probe = await failureOf(local.client().probe(localTarget(baseUrl), '/models', {}, 5_000));
    expect(probe.message).toMatch(/not from an authority the gateway trusts/);
  });

  it('an https base URL at a port that speaks http: asks whether it should be http://', async () => {
    const plain = await local.upstream(({ res }) => res.end('{}'));
    const failure = await failureOf(call(`${plain.url.replace('http:', 'https:')}/v1`));
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toMatch(
      /^the TLS handshake with the upstream failed \(ERR_SSL_WRONG_VERSION_NUMBER\): does the base URL's port speak https, or should it be http:\/\/\?$/,
    );
  });
});
