import { z } from 'zod';

/**
 * The one password policy, for every way a password is set: ADMIN_PASSWORD, the config file's
 * users, the admin API and the password change. At most 1024 characters, because hashing a
 * longer one costs the server (argon2) for nothing.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** What is wrong with a new password, as `must be …`; null when the policy is met. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  return null;
}

/** The policy for the environment and the config file. */
export const passwordSchema = z.string().superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** SESSION_MAX_AGE_HOURS's default: a session ends a week after its sign-in, however often it is refreshed. */
export const DEFAULT_SESSION_MAX_AGE_HOURS = 168;
