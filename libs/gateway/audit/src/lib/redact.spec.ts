import { auditDiff, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('replaces secret-named fields at any depth and keeps the rest', () => {
    expect(
      redactSecrets({
        name: 'openai',
        apiKey: 'sk-live-123',
        input: { password: 'hunter22', headers: [{ authorization: 'Bearer x', name: 'a' }] },
        refreshToken: 'r',
        clientSecret: 's',
        missing: undefined,
        cleared: null,
        at: new Date('2026-01-01T00:00:00Z'),
      }),
    ).toEqual({
      name: 'openai',
      apiKey: '[redacted]',
      input: { password: '[redacted]', headers: [{ authorization: '[redacted]', name: 'a' }] },
      refreshToken: '[redacted]',
      clientSecret: '[redacted]',
      cleared: null,
      at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('redacts webhook URLs, which carry the token of Slack, DingTalk and WeCom robots', () => {
    expect(
      redactSecrets({
        input: {
          name: 'ops',
          webhookUrl: 'https://hooks.slack.com/services/T0/B0/abc',
          smtp: { password: 'p', host: 'h' },
        },
      }),
    ).toEqual({ input: { name: 'ops', webhookUrl: '[redacted]', smtp: { password: '[redacted]', host: 'h' } } });
  });

  it("redacts every header's value, whatever the header's name (channel headers are write-only)", () => {
    expect(
      redactSecrets({
        input: {
          headers: [
            { name: 'x-team', value: 'tenant-secret' },
            { name: 'x-empty', value: null },
          ],
        },
      }),
    ).toEqual({
      input: {
        headers: [
          { name: 'x-team', value: '[redacted]' },
          { name: 'x-empty', value: null },
        ],
      },
    });
  });
});

describe('auditDiff', () => {
  it('lists changed fields only, without timestamps', () => {
    expect(
      auditDiff(
        { name: 'a', models: ['*'], enabled: true, updatedAt: new Date(1) },
        { name: 'a', models: ['gpt-4o'], enabled: false, updatedAt: new Date(2) },
      ),
    ).toEqual({ models: { from: ['*'], to: ['gpt-4o'] }, enabled: { from: true, to: false } });
  });

  it('says that a secret changed, never what it was or became', () => {
    const diff = auditDiff({ apiKeyEncrypted: 'v1.a' }, { apiKeyEncrypted: 'v1.b' });
    expect(diff).toEqual({ apiKeyEncrypted: { from: '[redacted]', to: '[redacted]' } });
    expect(JSON.stringify(diff)).not.toContain('v1.');
  });

  it('is null when nothing changed, and describes a creation and a deletion', () => {
    expect(auditDiff({ a: 1 }, { a: 1 })).toBeNull();
    expect(auditDiff(null, { a: 1 })).toEqual({ a: { from: null, to: 1 } });
    expect(auditDiff({ a: 1 }, null)).toEqual({ a: { from: 1, to: null } });
  });
});
