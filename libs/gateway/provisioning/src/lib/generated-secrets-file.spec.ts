import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED_SECRETS_FILE, recordGeneratedSecret } from './generated-secrets-file';

describe(recordGeneratedSecret.name, () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'synapse-secrets-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('appends each secret to an owner-only file in an owner-only data folder and returns its path', () => {
    const dataDir = join(root, 'data');
    const at = new Date('2026-05-01T10:00:00.000Z');
    const file = recordGeneratedSecret(dataDir, 'owner account a@example.com password', 'pw-1', () => undefined, at);
    recordGeneratedSecret(dataDir, "gateway key 'ci'", 'sk-2', () => undefined, at);
    expect(file).toBe(join(dataDir, GENERATED_SECRETS_FILE));
    expect(readFileSync(file, 'utf8')).toBe(
      "2026-05-01T10:00:00.000Z  owner account a@example.com password: pw-1\n2026-05-01T10:00:00.000Z  gateway key 'ci': sk-2\n",
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });
});
