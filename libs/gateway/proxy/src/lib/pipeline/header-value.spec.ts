import { validateHeaderValue } from 'node:http';
import { headerSafe } from './header-value';

describe(headerSafe.name, () => {
  const accepted = (value: string) => () => validateHeaderValue('x-synapse-model', value);

  it('keeps printable ASCII names as they are', () => {
    for (const name of ['gpt-4o-mini', 'gpt-4o*', 'org/model:tag 1', '~!@#$^&*()']) expect(headerSafe(name)).toBe(name);
  });

  it('encodes a name with a % too, so that every header decodes back to its name', () => {
    expect(headerSafe('50%-off')).toBe('50%25-off');
    expect(decodeURIComponent(headerSafe('%41'))).toBe('%41');
  });

  it('percent-encodes names Node refuses in a header, so that they decode back', () => {
    for (const name of ['通义千问', 'gpt-4o\u0000x', 'line\r\nx-injected: 1', '\u007f']) {
      expect(accepted(name)).toThrow();
      expect(accepted(headerSafe(name))).not.toThrow();
      expect(decodeURIComponent(headerSafe(name))).toBe(name);
    }
  });

  it('encodes a lone surrogate, which JSON lets a caller send, as U+FFFD (encodeURIComponent throws on it)', () => {
    expect(headerSafe('a\ud800b')).toBe('a%EF%BF%BDb');
    expect(headerSafe('\udfff')).toBe('%EF%BF%BD');
    expect(headerSafe('😀\ud83d')).toBe('%F0%9F%98%80%EF%BF%BD');
  });

  it('percent-encodes names Node would send as Latin-1 bytes, which no client reads back as UTF-8', () => {
    expect(headerSafe('café')).toBe('caf%C3%A9');
    expect(headerSafe('tab\there')).toBe('tab%09here');
  });
});
