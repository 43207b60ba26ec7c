/**
 * A self-signed certificate for `localhost` (its own CA), made with the system's openssl, for tests
 * of https upstreams: trusted through NODE_EXTRA_CA_CERTS, or refused when not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  key: Buffer;
  cert: Buffer;
  /** The certificate's PEM file, for NODE_EXTRA_CA_CERTS; it lasts until `remove`. */
  certFile: string;
  remove(): void;
}

export function selfSignedCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', ...subject, '-keyout', key, '-out', cert],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(key),
    cert: readFileSync(cert),
    certFile: cert,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
