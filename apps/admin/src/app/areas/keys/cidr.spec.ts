import { isCidr, splitList } from './cidr';

describe(isCidr.name, () => {
  it.each(['10.0.0.0/8', '192.168.1.7', '0.0.0.0/0', '2001:db8::/32', '::1', '::ffff:10.0.0.1/128', 'fe80::1:2:3:4'])(
    'accepts %s',
    (text) => expect(isCidr(text)).toBe(true),
  );
  it.each(['10.0.0.300/8', '10.0.0.0/33', '10.0.0/8', '2001:db8::/129', '1::2::3', 'example.com', '10.0.0.0/8/1', ''])(
    'refuses %s',
    (text) => expect(isCidr(text)).toBe(false),
  );
  it('splits lines and commas, dropping blanks', () => {
    expect(splitList(' a, b\n\nc ')).toEqual(['a', 'b', 'c']);
  });
});
