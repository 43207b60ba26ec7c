import { compileCidrs } from './cidr';
import { clientAddress, plainAddress } from './client-address';

describe('clientAddress', () => {
  const proxies = compileCidrs(['10.0.0.0/8', '::1']);

  it('takes the peer when no proxy is trusted, whatever the header says', () => {
    const none = compileCidrs([]);
    expect(clientAddress('203.0.113.9', '10.1.2.3', none)).toBe('203.0.113.9');
  });

  it('ignores the header from a peer that is not a trusted proxy', () => {
    expect(clientAddress('203.0.113.9', '10.1.2.3', proxies)).toBe('203.0.113.9');
  });

  it('takes the right-most address that is not a trusted proxy', () => {
    // The caller wrote 10.9.9.9 and 198.51.100.1; the trusted proxy appended 198.51.100.7.
    expect(clientAddress('10.0.0.2', '10.9.9.9, 198.51.100.1, 198.51.100.7', proxies)).toBe('198.51.100.7');
    // Two trusted hops: the outer proxy's own address is skipped.
    expect(clientAddress('10.0.0.2', '198.51.100.7, 10.0.0.5', proxies)).toBe('198.51.100.7');
  });

  it('reads repeated headers as one list', () => {
    expect(clientAddress('::1', ['192.0.2.1', '192.0.2.2'], proxies)).toBe('192.0.2.2');
  });

  it('falls back to the left-most hop when every hop is a trusted proxy', () => {
    expect(clientAddress('10.0.0.2', '10.0.0.3, 10.0.0.4', proxies)).toBe('10.0.0.3');
    expect(clientAddress('10.0.0.2', ' , ', proxies)).toBe('10.0.0.2');
  });

  it('matches IPv4-mapped peers against IPv4 blocks and reports them plainly', () => {
    expect(clientAddress('::ffff:10.0.0.2', '192.0.2.8', proxies)).toBe('192.0.2.8');
    expect(plainAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(plainAddress('::1')).toBe('::1');
  });

  it('is undefined without a peer (a destroyed socket)', () => {
    expect(clientAddress(undefined, '192.0.2.1', proxies)).toBeUndefined();
  });
});
