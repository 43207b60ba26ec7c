import { loadEnv } from './env';
import { retentionDays } from './log-env';

describe('log environment', () => {
  it('has body capture and retention defaults', () => {
    const env = loadEnv({});
    expect(env.BODY_CAPTURE_MAX_BYTES).toBe(32 * 1024);
    expect(env.BODY_CAPTURE_REDACT).toEqual([]);
    expect(retentionDays(env)).toEqual({
      'request-log': 0,
      bodies: 7,
      audit: 0,
      'rollup-minute': 7,
      'rollup-hour': 90,
      'rollup-day': 0,
    });
    expect(env.RETENTION_BATCH_SIZE).toBe(5000);
  });

  it('compiles redaction patterns: one, a JSON list, or /literals/ with flags', () => {
    expect(loadEnv({ BODY_CAPTURE_REDACT: 'acct-\\d+' }).BODY_CAPTURE_REDACT.map(String)).toEqual(['/acct-\\d+/g']);
    const list = loadEnv({ BODY_CAPTURE_REDACT: '["acct-\\\\d+", "/secret word/i"]' }).BODY_CAPTURE_REDACT;
    expect(list.map(String)).toEqual(['/acct-\\d+/g', '/secret word/gi']);
  });

  it('refuses bad patterns and negative days by name', () => {
    expect(() => loadEnv({ BODY_CAPTURE_REDACT: '(unclosed' })).toThrow(
      /BODY_CAPTURE_REDACT.*not a regular expression/s,
    );
    expect(() => loadEnv({ BODY_CAPTURE_REDACT: '[1, 2]' })).toThrow(/BODY_CAPTURE_REDACT/);
    expect(() => loadEnv({ RETENTION_AUDIT_DAYS: '-1' })).toThrow(/RETENTION_AUDIT_DAYS/);
    expect(() => loadEnv({ BODY_CAPTURE_MAX_BYTES: '10' })).toThrow(/BODY_CAPTURE_MAX_BYTES/);
  });
});
