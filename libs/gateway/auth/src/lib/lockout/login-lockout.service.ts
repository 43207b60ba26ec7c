import { Inject, Injectable, Logger } from '@nestjs/common';
import { accountKey, ipKey } from './lockout-keys';
import { LOCKOUT_POLICY, type LockoutPolicy } from './lockout-policy';
import { LockoutStore } from './lockout-store';

export interface Lock {
  /** What is locked: the account (by email) or the client (by IP). */
  subject: 'account' | 'ip';
  retryAfterSeconds: number;
}

/** One password check, counted before it runs so that a burst of parallel guesses cannot slip past the limit. */
export interface LoginAttempt {
  /** Set when the account or the client is locked: refuse without checking the password. */
  readonly lock: Lock | null;
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

const NOTHING = async () => undefined;

/**
 * Failed sign-ins per account and per client IP. Past the limit within the window, the account or
 * IP is refused for the lock time, right password or not. Unknown emails are counted like known
 * ones, so a lock tells nothing about which accounts exist. A success resets the account's count.
 */
@Injectable()
export class LoginLockout {
  private readonly logger = new Logger(LoginLockout.name);

  constructor(
    private readonly store: LockoutStore,
    @Inject(LOCKOUT_POLICY) private readonly policy: LockoutPolicy,
  ) {}

  async begin(email: string, ip: string): Promise<LoginAttempt> {
    const { accountLimit, ipLimit, windowMs, lockMs } = this.policy;
    const counters = [
      { subject: 'account' as const, key: accountKey(email), limit: accountLimit },
      { subject: 'ip' as const, key: ipKey(ip), limit: ipLimit },
    ];
    let counts;
    try {
      counts = await Promise.all(counters.map((c) => this.store.increment(c.key, windowMs)));
    } catch (error) {
      // Fail open: losing Redis must not lock every operator out; argon2 still slows guessing.
      this.logger.error(`lockout counters unavailable, sign-in is not limited: ${(error as Error).message}`);
      return { lock: null, succeeded: NOTHING, failed: NOTHING };
    }
    const [account, client] = counters.map((c, i) => ({ ...c, ...counts[i] }));
    const over = [account, client].filter((c) => c.count > c.limit);
    if (over.length > 0) {
      // A refused attempt checks no password, so it does not count.
      await this.quietly(() => Promise.all(counters.map((c) => this.store.release(c.key))));
      const longest = over.reduce((a, b) => (b.ttlMs > a.ttlMs ? b : a));
      return {
        lock: { subject: longest.subject, retryAfterSeconds: Math.max(1, Math.ceil(longest.ttlMs / 1000)) },
        succeeded: NOTHING,
        failed: NOTHING,
      };
    }
    return {
      lock: null,
      succeeded: () => this.quietly(() => Promise.all([this.store.reset(account.key), this.store.release(client.key)])),
      // The failure that reaches a limit starts the lock.
      failed: () =>
        this.quietly(() =>
          Promise.all([account, client].filter((c) => c.count === c.limit).map((c) => this.store.hold(c.key, lockMs))),
        ),
    };
  }

  private async quietly(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.logger.error(`lockout counters unavailable: ${(error as Error).message}`);
    }
  }
}
