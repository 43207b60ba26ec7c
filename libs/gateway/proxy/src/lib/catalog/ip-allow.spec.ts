import { compileIpAllow } from './ip-allow';

describe(compileIpAllow.name, () => {
  const { matches, invalid } = compileIpAllow(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', 'not-a-cidr']);

  it.each(['10.1.2.3', '10.255.255.255', '192.0.2.7', '::ffff:10.9.9.9', '2001:db8::1', '2001:db8:ffff::'])(
    'lets %s in',
    (ip) => {
      expect(matches(ip)).toBe(true);
    },
  );

  it.each(['11.0.0.1', '192.0.2.8', '127.0.0.1', '::1', '2001:db9::1', '', undefined, 'garbage'])(
    'keeps %j out',
    (ip) => {
      expect(matches(ip)).toBe(false);
    },
  );

  it('reports entries that do not parse instead of matching them', () => {
    expect(invalid).toEqual(['not-a-cidr']);
  });
});
