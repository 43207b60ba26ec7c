import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failureOf, localTarget, localUpstreams } from './testing/local-upstream';

/**
 * An upstream whose TLS the gateway refuses: a self-hosted model with its own CA, or an https base
 * URL at a port that speaks http. "Unreachable" alone sent operators to the network.
 */
describe('UpstreamClient: TLS refused', () => {
  const local = localUpstreams();
  let dir: string;
  let selfSigned: Server;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    selfSigned = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_, res) => res.end('{}'));
    selfSigned.listen(0, '127.0.0.1');
    await once(selfSigned, 'listening');
  });

  afterAll(() => {
    selfSigned.close();
    rmSync(dir, { recursive: true, force: true });
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
