import { deriveMasterKey, generateMasterSecret, SecretBox } from './secret-box';

describe(SecretBox.name, () => {
  const current = deriveMasterKey(generateMasterSecret());
  const box = new SecretBox(current);

  it('round-trips a secret and never stores the plaintext', () => {
    const sealed = box.encrypt('sk-upstream-secret-1234');
    expect(sealed).not.toContain('sk-upstream');
    expect(sealed.startsWith(`v1.${current.id}.`)).toBe(true);
    expect(box.decrypt(sealed)).toBe('sk-upstream-secret-1234');
  });

  it('uses a fresh IV for every value', () => {
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('rejects a tampered value', () => {
    const sealed = box.encrypt('secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
  });

  it('reads values sealed under a previous key after rotation', () => {
    const old = new SecretBox(deriveMasterKey('o'.repeat(40)));
    const sealed = old.encrypt('legacy');
    const rotated = new SecretBox(current, [deriveMasterKey('o'.repeat(40))]);
    expect(rotated.decrypt(sealed)).toBe('legacy');
    expect(SecretBox.keyIdOf(sealed)).not.toBe(rotated.keyId);
    expect(() => box.decrypt(sealed)).toThrow(/unknown master key/);
  });

  it('knows the ids of the current and previous keys only', () => {
    const old = deriveMasterKey('o'.repeat(40));
    const rotated = new SecretBox(current, [old]);
    expect(rotated.knows(current.id)).toBe(true);
    expect(rotated.knows(old.id)).toBe(true);
    expect(rotated.knows(SecretBox.keyIdOf(new SecretBox(old).encrypt('x')))).toBe(true);
    expect(box.knows(old.id)).toBe(false);
    expect(box.knows(deriveMasterKey('u'.repeat(40)).id)).toBe(false);
    expect(box.knows(SecretBox.keyIdOf('not-encrypted'))).toBe(false);
  });

  it('derives the same key id from the same secret and refuses short secrets', () => {
    expect(deriveMasterKey('x'.repeat(32)).id).toBe(deriveMasterKey('x'.repeat(32)).id);
    expect(() => deriveMasterKey('short')).toThrow(/at least 32/);
  });

  it('derives per-purpose subkeys that every replica with the same secret shares', () => {
    const replica = new SecretBox(deriveMasterKey('r'.repeat(40)));
    const other = new SecretBox(deriveMasterKey('r'.repeat(40)));
    expect(replica.subkey('jwt')).toEqual(other.subkey('jwt'));
    expect(replica.subkey('jwt')).toHaveLength(32);
    expect(replica.subkey('jwt')).not.toEqual(replica.subkey('csrf'));
    expect(replica.subkey('jwt')).not.toEqual(deriveMasterKey('r'.repeat(40)).key);
    expect(box.subkey('jwt')).not.toEqual(replica.subkey('jwt'));
  });
});
