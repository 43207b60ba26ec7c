import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateFile, securePrivateDir } from './private-data-dir';

const mode = (path: string) => statSync(path).mode & 0o777;

describe(securePrivateDir.name, () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'synapse-private-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a missing folder, nested, for its owner only', () => {
    const dir = join(root, 'a', 'data');
    expect(securePrivateDir(dir, () => undefined)).toBe(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it('takes group and other access away from an existing folder and its files, not from a linked target', () => {
    const dir = join(root, 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'synapse.db'), '', { mode: 0o644 });
    writeFileSync(join(dir, 'master.key'), 'k', { mode: 0o640 });
    const outside = join(root, 'shared.yaml');
    writeFileSync(outside, '', { mode: 0o644 });
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(dir, 'synapse.yaml'));
    const warnings: string[] = [];
    securePrivateDir(dir, (m) => warnings.push(m));
    expect([mode(dir), mode(join(dir, 'synapse.db')), mode(join(dir, 'master.key'))]).toEqual([0o700, 0o600, 0o600]);
    expect(mode(outside)).toBe(0o644);
    expect(warnings).toEqual([]);
  });

  it('creates a private empty file, and leaves an existing one as it is', () => {
    const file = join(root, 'synapse.db');
    createPrivateFile(file);
    expect([mode(file), statSync(file).size]).toEqual([0o600, 0]);
    writeFileSync(file, 'data');
    createPrivateFile(file);
    expect(statSync(file).size).toBe(4);
  });
});
