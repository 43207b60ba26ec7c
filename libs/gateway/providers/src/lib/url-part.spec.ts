import { urlPart } from './url-part';

describe(urlPart.name, () => {
  it('encodes as encodeURIComponent does', () => {
    for (const text of ['gpt-4o', 'a/b c?d#e', '通义千问', 'émoji😀', '\u0000'])
      expect(urlPart(text)).toBe(encodeURIComponent(text));
  });

  it('encodes a lone surrogate, on which encodeURIComponent throws, as U+FFFD', () => {
    expect(() => encodeURIComponent('a\ud800b')).toThrow(URIError);
    expect(urlPart('a\ud800b')).toBe('a%EF%BF%BDb');
    expect(urlPart('\udfff')).toBe('%EF%BF%BD');
    expect(urlPart('😀\ud83d')).toBe('%F0%9F%98%80%EF%BF%BD');
  });
});
