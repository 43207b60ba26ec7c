/** How many failed sign-ins are tolerated, and for how long a lock holds. */
export interface LockoutPolicy {
  /** Failures per account (by email, whether or not it exists) within the window. */
  accountLimit: number;
  /** Failures per client IP (an IPv6 /64) within the window, whatever the accounts. */
  ipLimit: number;
  windowMs: number;
  /** How long the account or IP is refused once its limit is reached. */
  lockMs: number;
}

export const LOCKOUT_POLICY = Symbol('LOCKOUT_POLICY');

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  accountLimit: 5,
  ipLimit: 20,
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
};
