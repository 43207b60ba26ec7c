import { MetricsAccess } from './metrics-access';

describe(MetricsAccess.name, () => {
  const TOKEN = 'metrics-token-0123456789';

  it('is off unless a token or an allow-list is configured', () => {
    expect(new MetricsAccess({ allow: [] }).check(`Bearer ${TOKEN}`, '127.0.0.1')).toBe('disabled');
  });

  it('asks for the Bearer token', () => {
    const access = new MetricsAccess({ token: TOKEN, allow: [] });
    expect(access.check(undefined, '192.0.2.1')).toBe('unauthorized');
    expect(access.check('Bearer wrong', '192.0.2.1')).toBe('unauthorized');
    expect(access.check(TOKEN, '192.0.2.1')).toBe('unauthorized');
    expect(access.check(`Bearer ${TOKEN}`, '192.0.2.1')).toBe('allowed');
  });

  it('answers only the allowed addresses, and needs both when both are set', () => {
    const allowOnly = new MetricsAccess({ allow: ['10.0.0.0/8'] });
    expect(allowOnly.check(undefined, '10.1.2.3')).toBe('allowed');
    expect(allowOnly.check(undefined, '::ffff:10.1.2.3')).toBe('allowed');
    expect(allowOnly.check(undefined, '192.0.2.1')).toBe('forbidden');
    const both = new MetricsAccess({ token: TOKEN, allow: ['10.0.0.0/8'] });
    expect(both.check(`Bearer ${TOKEN}`, '192.0.2.1')).toBe('forbidden');
    expect(both.check(undefined, '10.1.2.3')).toBe('unauthorized');
    expect(both.check(`Bearer ${TOKEN}`, '10.1.2.3')).toBe('allowed');
  });
});
