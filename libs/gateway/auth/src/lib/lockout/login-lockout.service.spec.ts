import { InProcessLockoutStore } from './in-process-lockout-store';
import { DEFAULT_LOCKOUT_POLICY } from './lockout-policy';
import { LockoutStore } from './lockout-store';
import { LoginLockout, type LoginAttempt } from './login-lockout.service';

const MINUTE = 60_000;

describe(LoginLockout.name, () => {
  let now: number;
  let lockout: LoginLockout;

  beforeEach(() => {
    now = Date.UTC(2026, 2, 1, 12);
    lockout = new LoginLockout(new InProcessLockoutStore(() => now), DEFAULT_LOCKOUT_POLICY);
  });

  async function fail(email: string, ip = '198.51.100.1', times = 1): Promise<void> {
    for (let i = 0; i < times; i++) {
      const attempt = await lockout.begin(email, ip);
      expect(attempt.lock).toBeNull();
      await attempt.failed();
    }
  }

  it('locks an account for 15 minutes after 5 failures, whatever the password and the client', async () => {
    await fail('ops@example.com', '198.51.100.1', 5);
    expect((await lockout.begin('ops@example.com', '198.51.100.1')).lock).toEqual({
      subject: 'account',
      retryAfterSeconds: 900,
    });
    expect((await lockout.begin('OPS@example.com', '203.0.113.50')).lock?.subject).toBe('account');
    expect((await lockout.begin('other@example.com', '198.51.100.1')).lock).toBeNull();
  });

  it('counts failures within 15 minutes and holds the lock 15 minutes from the last one', async () => {
    await fail('ops@example.com', undefined, 4);
    now += 10 * MINUTE;
    await fail('ops@example.com');
    now += 10 * MINUTE;
    expect((await lockout.begin('ops@example.com', '198.51.100.1')).lock?.retryAfterSeconds).toBe(300);
    now += 5 * MINUTE;
    expect((await lockout.begin('ops@example.com', '198.51.100.1')).lock).toBeNull();
  });

  it('forgets failures older than the window', async () => {
    await fail('ops@example.com', undefined, 4);
    now += 16 * MINUTE;
    await fail('ops@example.com', undefined, 4);
    expect((await lockout.begin('ops@example.com', '198.51.100.1')).lock).toBeNull();
  });

  it("resets the account's count on success, but not the client's", async () => {
    await fail('ops@example.com', undefined, 4);
    await (await lockout.begin('ops@example.com', '198.51.100.1')).succeeded();
    await fail('ops@example.com', undefined, 4);
    const fifth = await lockout.begin('ops@example.com', '198.51.100.1');
    expect(fifth.lock).toBeNull();
    await fifth.succeeded();

    for (let i = 0; i < 12; i++) await fail(`user${i}@example.com`);
    // 8 + 12 failures from this IP: the 21st attempt is refused, successes in between did not help.
    expect((await lockout.begin('new@example.com', '198.51.100.1')).lock).toEqual({
      subject: 'ip',
      retryAfterSeconds: 900,
    });
    expect((await lockout.begin('new@example.com', '198.51.100.2')).lock).toBeNull();
  });

  it('locks a client after 20 failures across accounts, and refused attempts do not add to it', async () => {
    for (let i = 0; i < 20; i++) await fail(`user${i}@example.com`);
    for (let i = 0; i < 3; i++) {
      expect((await lockout.begin(`more${i}@example.com`, '198.51.100.1')).lock?.subject).toBe('ip');
    }
    now += 15 * MINUTE;
    // The refused attempts were not counted: the lock ends 15 minutes after the 20th failure.
    expect((await lockout.begin('more@example.com', '198.51.100.1')).lock).toBeNull();
  });

  it('lets no more than 5 of a burst of parallel guesses check a password', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () => lockout.begin('ops@example.com', '198.51.100.1')),
    );
    const open = attempts.filter((a) => a.lock === null);
    expect(open).toHaveLength(5);
    await Promise.all(open.map((a) => a.failed()));
    expect((await lockout.begin('ops@example.com', '198.51.100.1')).lock?.retryAfterSeconds).toBe(900);
  });

  it('lets sign-in go on, unlimited, while the counters are unreachable', async () => {
    class BrokenStore extends LockoutStore {
      increment = () => Promise.reject(new Error('connection refused'));
      release = this.increment;
      hold = this.increment;
      reset = this.increment;
    }
    const broken = new LoginLockout(new BrokenStore(), DEFAULT_LOCKOUT_POLICY);
    const logged = jest.spyOn(broken['logger'], 'error').mockImplementation(() => undefined);
    const attempt: LoginAttempt = await broken.begin('ops@example.com', '198.51.100.1');
    expect(attempt.lock).toBeNull();
    await expect(attempt.failed()).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('connection refused'));
  });
});
