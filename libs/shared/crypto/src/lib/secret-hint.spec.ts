import { secretHint } from './secret-hint';

describe(secretHint.name, () => {
  it('shows the last four characters of a secret', () => {
    expect(secretHint('sk-upstream-secret-abcd')).toBe('…abcd');
  });

  it('shows no character of a short secret', () => {
    expect(secretHint('short-key')).toBe('…');
    expect(secretHint('123456789012')).toBe('…9012');
  });

  it('is null without a secret', () => {
    expect(secretHint(null)).toBeNull();
    expect(secretHint(undefined)).toBeNull();
    expect(secretHint('')).toBeNull();
  });
});
