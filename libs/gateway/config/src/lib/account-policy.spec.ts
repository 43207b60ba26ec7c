import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem, passwordSchema } from './account-policy';

describe('password policy', () => {
  it('asks for 12 to 1024 characters, and says which bound a password misses', () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([12, 1024]);
    expect(passwordProblem('x'.repeat(11))).toBe('must be at least 12 characters');
    expect(passwordProblem('x'.repeat(12))).toBeNull();
    expect(passwordProblem('x'.repeat(1024))).toBeNull();
    expect(passwordProblem('x'.repeat(1025))).toBe('must be at most 1024 characters');
  });

  it('is the same rule as a zod schema', () => {
    expect(passwordSchema.safeParse('hunter22!').error?.issues[0]?.message).toBe('must be at least 12 characters');
    expect(passwordSchema.safeParse('correct horse battery').success).toBe(true);
  });
});
