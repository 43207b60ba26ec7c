import { deriveMasterKey, SecretBox } from './secret-box';
import { hasPlainValues, openValues, sealedIn, sealValues } from './sealed-values';

const box = new SecretBox(deriveMasterKey('sealed-values-spec-secret-0123456789'));

describe('sealed values', () => {
  it('seals each value, keeps the names, and opens them again', () => {
    const sealed = sealValues({ 'api-key': 'azure-secret-1234', 'OpenAI-Organization': 'org-1' }, box);
    expect(Object.keys(sealed)).toEqual(['api-key', 'OpenAI-Organization']);
    expect(JSON.stringify(sealed)).not.toContain('azure-secret-1234');
    expect(Object.values(sealed).every((v) => SecretBox.isSealed(v))).toBe(true);
    expect(openValues(sealed, (v) => box.decrypt(v))).toEqual({
      'api-key': 'azure-secret-1234',
      'OpenAI-Organization': 'org-1',
    });
    expect(sealedIn(sealed)).toHaveLength(2);
    expect(hasPlainValues(sealed)).toBe(false);
  });

  it('reads values stored in clear before sealing as they are, and says that some are', () => {
    const legacy = { 'x-team': 'research', 'api-key': box.encrypt('k') };
    expect(openValues(legacy, (v) => box.decrypt(v))).toEqual({ 'x-team': 'research', 'api-key': 'k' });
    expect(hasPlainValues(legacy)).toBe(true);
    expect(sealedIn(legacy)).toEqual([legacy['api-key']]);
  });

  it('does not take a dotted header value for a sealed one', () => {
    expect(SecretBox.isSealed('v1.2.3')).toBe(false);
    expect(SecretBox.isSealed('Bearer a.b.c')).toBe(false);
    expect(SecretBox.isSealed(box.encrypt(''))).toBe(true);
  });
});
