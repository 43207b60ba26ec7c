import { EgressPolicy, isMetadataHostName, PRIVATE_NETWORKS } from './egress-policy';
import { loadEnv } from './env';

describe(EgressPolicy.name, () => {
  describe('by default (every private range allowed)', () => {
    const policy = new EgressPolicy();

    it.each([
      ['169.254.169.254', 'a cloud metadata address'],
      ['100.100.100.200', 'a cloud metadata address'],
      ['fd00:ec2::254', 'a cloud metadata address'],
      ['169.254.1.1', 'a link-local address'],
      ['fe80::1', 'a link-local address'],
      ['fe80::1%eth0', 'a link-local address'],
      ['febf:ffff::1', 'a link-local address'],
      ['0.0.0.0', 'an unspecified address'],
      ['0.1.2.3', 'an unspecified address'],
      ['::', 'the unspecified address'],
      ['224.0.0.1', 'a multicast address'],
      ['239.255.255.250', 'a multicast address'],
      ['ff02::1', 'a multicast address'],
      ['255.255.255.255', 'the broadcast address'],
      // The same addresses written as IPv6.
      ['::ffff:169.254.169.254', 'a cloud metadata address'],
      ['::ffff:a9fe:a9fe', 'a cloud metadata address'],
      ['[::ffff:a9fe:a9fe]', 'a cloud metadata address'],
      ['64:ff9b::a9fe:a9fe', 'a cloud metadata address'],
      ['64:ff9b::169.254.10.1', 'a link-local address'],
    ])('refuses %s as %s', (address, what) => {
      expect(policy.refusal(address)).toContain(what);
    });

    it.each([
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.254',
      '192.168.1.10',
      '127.0.0.1',
      '127.8.8.8',
      '100.64.0.1',
      '::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      // Public addresses, just outside the private and refused ranges.
      '8.8.8.8',
      '172.32.0.1',
      '169.255.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '64:ff9b::808:808',
    ])('lets %s through', (address) => {
      expect(policy.refusal(address)).toBeNull();
    });

    it.each(['localhost', '', '1.2.3', 'fe80::zz'])('refuses %j, which is no IP address', (address) => {
      expect(policy.refusal(address)).toContain('is not an IP address');
    });
  });

  describe('with an emptied allow-list', () => {
    const policy = new EgressPolicy([]);

    it.each(['127.0.0.1', '::1', '10.0.0.1', '192.168.0.1', '172.20.0.5', '100.64.1.1', 'fd00::1', '::ffff:10.0.0.1'])(
      'refuses the private address %s and names the setting',
      (address) => {
        expect(policy.refusal(address)).toBe(
          `${address} is a private or loopback address outside UPSTREAM_ALLOWED_PRIVATE_CIDRS`,
        );
      },
    );

    it('still lets public addresses through', () => {
      expect(policy.refusal('8.8.8.8')).toBeNull();
      expect(policy.refusal('2001:4860:4860::8888')).toBeNull();
    });
  });

  describe('with a narrowed allow-list', () => {
    const policy = new EgressPolicy(['10.20.0.0/16', '127.0.0.1']);

    it('allows only the listed private addresses', () => {
      expect(policy.refusal('10.20.3.4')).toBeNull();
      expect(policy.refusal('127.0.0.1')).toBeNull();
      expect(policy.refusal('10.21.0.1')).toContain('outside UPSTREAM_ALLOWED_PRIVATE_CIDRS');
      expect(policy.refusal('127.0.0.2')).toContain('outside UPSTREAM_ALLOWED_PRIVATE_CIDRS');
      expect(policy.refusal('::1')).toContain('outside UPSTREAM_ALLOWED_PRIVATE_CIDRS');
    });
  });

  describe('re-allowing a refused range on purpose', () => {
    it('takes an entry inside the refused range', () => {
      const policy = new EgressPolicy([...PRIVATE_NETWORKS, '169.254.10.0/24']);
      expect(policy.refusal('169.254.10.7')).toBeNull();
      expect(policy.refusal('169.254.11.7')).toContain('link-local');
      expect(policy.refusal('169.254.169.254')).toContain('metadata');
    });

    it('needs an entry as narrow as the metadata address itself to reach it', () => {
      expect(new EgressPolicy(['169.254.0.0/16']).refusal('169.254.169.254')).toContain('metadata');
      expect(new EgressPolicy(['169.254.0.0/16']).refusal('169.254.1.1')).toBeNull();
      expect(new EgressPolicy(['169.254.169.254/32']).refusal('169.254.169.254')).toBeNull();
    });

    it('is not done by broad entries that merely cover a refused range', () => {
      const policy = new EgressPolicy(['0.0.0.0/0', '::/0']);
      expect(policy.refusal('169.254.169.254')).toContain('metadata');
      expect(policy.refusal('100.100.100.200')).toContain('metadata');
      expect(policy.refusal('fd00:ec2::254')).toContain('metadata');
      expect(policy.refusal('fe80::1')).toContain('link-local');
      expect(policy.refusal('10.0.0.1')).toBeNull();
    });
  });

  describe(EgressPolicy.prototype.refusalOfUrl.name, () => {
    const policy = new EgressPolicy([]);

    it.each([
      ['http://169.254.169.254/v1', '169.254.169.254 is a cloud metadata address'],
      // Spellings the URL parser turns into the same address.
      ['http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254 is a cloud metadata address'],
      ['http://2852039166/', '169.254.169.254 is a cloud metadata address'],
      ['http://[::ffff:169.254.169.254]:8080/', '::ffff:a9fe:a9fe is a cloud metadata address'],
      ['https://[fe80::1]/v1', 'fe80::1 is a link-local address'],
      ['http://0/', '0.0.0.0 is an unspecified address'],
      ['http://metadata.google.internal/computeMetadata/v1', 'metadata.google.internal is a cloud metadata host name'],
      ['http://METADATA.Google.Internal./', 'is a cloud metadata host name'],
      ['http://127.0.0.1:11434/v1', 'outside UPSTREAM_ALLOWED_PRIVATE_CIDRS'],
    ])('refuses %s', (url, reason) => {
      expect(policy.refusalOfUrl(url)).toContain(reason);
    });

    it('leaves other host names to the check after DNS', () => {
      expect(policy.refusalOfUrl('http://localhost:8000/v1')).toBeNull();
      expect(policy.refusalOfUrl('https://api.openai.com/v1')).toBeNull();
    });
  });
});

describe(isMetadataHostName.name, () => {
  it.each(['metadata', 'metadata.google.internal', 'Metadata.Google.Internal.', 'metadata.goog', 'instance-data'])(
    'knows %s',
    (name) => {
      expect(isMetadataHostName(name)).toBe(true);
    },
  );

  it.each(['metadata.example.com', 'api.openai.com', 'localhost'])('does not take %s for one', (name) => {
    expect(isMetadataHostName(name)).toBe(false);
  });
});

describe('UPSTREAM_ALLOWED_PRIVATE_CIDRS', () => {
  it('allows every private range by default, none with `none`, and reads a list of CIDRs', () => {
    expect(loadEnv({}).UPSTREAM_ALLOWED_PRIVATE_CIDRS).toEqual(PRIVATE_NETWORKS);
    expect(loadEnv({ UPSTREAM_ALLOWED_PRIVATE_CIDRS: 'none' }).UPSTREAM_ALLOWED_PRIVATE_CIDRS).toEqual([]);
    expect(
      loadEnv({ UPSTREAM_ALLOWED_PRIVATE_CIDRS: ' 10.0.0.0/8, 127.0.0.1 ,' }).UPSTREAM_ALLOWED_PRIVATE_CIDRS,
    ).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('names an entry that is no CIDR block', () => {
    expect(() => loadEnv({ UPSTREAM_ALLOWED_PRIVATE_CIDRS: '10.0.0.0/8,localhost' })).toThrow(
      /UPSTREAM_ALLOWED_PRIVATE_CIDRS\[1\]: must be a CIDR block/,
    );
  });
});
