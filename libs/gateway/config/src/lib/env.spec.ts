import { loadEnv } from './env';

describe('loadEnv', () => {
  it('applies defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3088, DATA_DIR: './data', MAX_BODY_BYTES: 20 * 1024 * 1024 });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names each bad variable', () => {
    expect(() => loadEnv({ PORT: 'abc', DATABASE_URL: 'mysql://x', SYNAPSE_SECRET: 'short' })).toThrow(
      /PORT: .*\n.*DATABASE_URL: must be a postgres:\/\/ URL.*\n.*SYNAPSE_SECRET: must be at least 32 characters/s,
    );
  });

  it('reads SYNAPSE_SECRET_PREVIOUS as a comma-separated list and names a short entry by position only', () => {
    expect(loadEnv({}).SYNAPSE_SECRET_PREVIOUS).toEqual([]);
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(40);
    expect(loadEnv({ SYNAPSE_SECRET_PREVIOUS: `${a}, ${b},` }).SYNAPSE_SECRET_PREVIOUS).toEqual([a, b]);
    const attempt = () => loadEnv({ SYNAPSE_SECRET_PREVIOUS: `${a},too-short-secret` });
    expect(attempt).toThrow(/SYNAPSE_SECRET_PREVIOUS\[1\]: must be at least 32 characters/);
    expect(attempt).not.toThrow(/too-short-secret/);
  });

  it('holds ADMIN_PASSWORD to the password policy of the admin API (12 characters), not a laxer one', () => {
    expect(() => loadEnv({ ADMIN_PASSWORD: 'hunter22!' })).toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(() => loadEnv({ ADMIN_PASSWORD: 'hunter22!' })).not.toThrow(/hunter22/);
    expect(loadEnv({ ADMIN_PASSWORD: 'correct-horse-battery' }).ADMIN_PASSWORD).toBe('correct-horse-battery');
  });

  it('ends sessions a week after sign-in unless SESSION_MAX_AGE_HOURS says otherwise (1 hour to a year)', () => {
    expect(loadEnv({}).SESSION_MAX_AGE_HOURS).toBe(168);
    expect(loadEnv({ SESSION_MAX_AGE_HOURS: '8' }).SESSION_MAX_AGE_HOURS).toBe(8);
    expect(() => loadEnv({ SESSION_MAX_AGE_HOURS: '0' })).toThrow(/SESSION_MAX_AGE_HOURS/);
    expect(() => loadEnv({ SESSION_MAX_AGE_HOURS: '9000' })).toThrow(/SESSION_MAX_AGE_HOURS/);
  });

  it("refuses a time in ms past Node's longest timer, which fired after 1 ms instead", () => {
    // A 35-day UPSTREAM_TOTAL_TIMEOUT_MS ("never") timed every call out at once.
    const longest = 2 ** 31 - 1;
    for (const name of [
      'UPSTREAM_TOTAL_TIMEOUT_MS',
      'UPSTREAM_FIRST_BYTE_TIMEOUT_MS',
      'SHUTDOWN_TIMEOUT_MS',
      'HEALTH_CHECK_INTERVAL_MS',
    ]) {
      expect(() => loadEnv({ [name]: String(longest + 1) })).toThrow(new RegExp(`${name}: must be at most ${longest}`));
      expect(loadEnv({ [name]: String(longest) })).toMatchObject({ [name]: longest });
    }
  });

  it('treats blank variables as unset', () => {
    expect(loadEnv({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('reads TRUSTED_PROXIES as CIDR blocks and network names, and names a bad entry', () => {
    expect(loadEnv({}).TRUSTED_PROXIES).toEqual([]);
    expect(loadEnv({ TRUSTED_PROXIES: 'loopback, 192.0.2.7,10.0.0.0/8' }).TRUSTED_PROXIES).toEqual([
      '127.0.0.0/8',
      '::1/128',
      '192.0.2.7',
      '10.0.0.0/8',
    ]);
    expect(() => loadEnv({ TRUSTED_PROXIES: '10.0.0.0/8,proxy.local' })).toThrow(
      /TRUSTED_PROXIES: 'proxy.local' is not a CIDR block/,
    );
    expect(() => loadEnv({ TRUSTED_PROXIES: 'constructor' })).toThrow(
      /TRUSTED_PROXIES: 'constructor' is not a CIDR block/,
    );
  });

  it('reads CORS_ORIGINS as origins or *, and names an entry that is not an origin', () => {
    expect(loadEnv({}).CORS_ORIGINS).toEqual([]);
    expect(loadEnv({ CORS_ORIGINS: 'https://app.example, http://127.0.0.1:5173' }).CORS_ORIGINS).toEqual([
      'https://app.example',
      'http://127.0.0.1:5173',
    ]);
    expect(loadEnv({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
    expect(() => loadEnv({ CORS_ORIGINS: 'https://app.example/' })).toThrow(
      /CORS_ORIGINS: 'https:\/\/app.example\/' is not an origin/,
    );
    expect(() => loadEnv({ CORS_ORIGINS: 'app.example' })).toThrow(/is not an origin/);
  });

  it('refuses the retired TRUST_PROXY rather than ignore it', () => {
    expect(() => loadEnv({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: was replaced by TRUSTED_PROXIES/);
  });

  it('reads the monitoring switches: metrics on, /metrics closed, no key labels unless set', () => {
    expect(loadEnv({})).toMatchObject({
      METRICS_ENABLED: true,
      METRICS_ALLOW: [],
      METRICS_KEY_LABELS: false,
      LIVE_METRICS_PUSH_INTERVAL_MS: 5_000,
    });
    expect(loadEnv({}).METRICS_TOKEN).toBeUndefined();
    const env = loadEnv({ METRICS_ENABLED: 'false', METRICS_ALLOW: 'loopback, 10.1.0.0/16', METRICS_KEY_LABELS: 'on' });
    expect(env).toMatchObject({ METRICS_ENABLED: false, METRICS_KEY_LABELS: true });
    expect(env.METRICS_ALLOW).toEqual(['127.0.0.0/8', '::1/128', '10.1.0.0/16']);
    expect(() => loadEnv({ METRICS_ENABLED: 'maybe', METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_ENABLED: must be true or false.*\n.*METRICS_TOKEN: must be at least 16 characters/s,
    );
  });
});
