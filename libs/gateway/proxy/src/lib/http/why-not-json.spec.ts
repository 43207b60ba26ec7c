import { whyNotJson } from './why-not-json';

describe('whyNotJson', () => {
  it('names a compressed body', () => {
    expect(whyNotJson('gzip', '\x1f\x8b')).toBe(
      'The request body is encoded (Content-Encoding: gzip); send the JSON uncompressed.',
    );
  });

  it('names a byte order mark', () => {
    expect(whyNotJson(undefined, '\ufeff{"model":"m"}')).toMatch(/byte order mark/);
    expect(whyNotJson('identity', '\ufeff{}')).toMatch(/byte order mark/);
  });

  it('says plainly that anything else is not JSON', () => {
    expect(whyNotJson(undefined, '{"model":')).toBe('The request body is not valid JSON.');
  });
});
