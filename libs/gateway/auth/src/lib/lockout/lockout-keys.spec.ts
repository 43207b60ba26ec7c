import { accountKey, ipKey } from './lockout-keys';

describe(accountKey.name, () => {
  it('keys an account by its normalised email, without the address in clear', () => {
    expect(accountKey(' Admin@Example.com ')).toBe(accountKey('admin@example.com'));
    expect(accountKey('admin@example.com')).not.toBe(accountKey('admin2@example.com'));
    expect(accountKey('admin@example.com')).toMatch(/^account:[0-9a-f]{32}$/);
  });
});

describe(ipKey.name, () => {
  it.each([
    ['127.0.0.1', 'ip:127.0.0.1'],
    ['::ffff:203.0.113.9', 'ip:203.0.113.9'],
    ['2001:db8:aa:bb:1:2:3:4', 'ip:2001:db8:aa:bb::/64'],
    ['2001:db8:aa:bb::99', 'ip:2001:db8:aa:bb::/64'],
    ['2001:0DB8:00aa::1', 'ip:2001:db8:aa:0::/64'],
    ['::1', 'ip:0:0:0:0::/64'],
    ['fe80::1%eth0', 'ip:fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', 'ip:64:ff9b:0:0::/64'],
  ])('keys the client %s as %s', (ip, key) => {
    expect(ipKey(ip)).toBe(key);
  });
});
