import { BodyRedactor, REDACTED } from './body-redactor';

describe(BodyRedactor.name, () => {
  const redactor = new BodyRedactor({ maxBytes: 64, redact: [/internal-\d+/] });

  it('redacts keys, bearer tokens, secret fields, emails and the configured patterns', () => {
    const body = JSON.stringify({
      messages: [{ role: 'user', content: 'my key is sk-abcdefghijklmnopqrstuvwx, mail me at ann@example.com' }],
      api_key: 'plain-secret',
      note: 'Authorization: Bearer abc.def.ghi-123 and internal-42',
    });
    const wide = new BodyRedactor({ maxBytes: 10_000, redact: [/internal-\d+/] });
    const { text, truncated } = wide.prepare(body);
    expect(truncated).toBe(false);
    expect(text).not.toMatch(/sk-abc|ann@example|plain-secret|abc\.def|internal-42/);
    const parsed = JSON.parse(text as string);
    expect(parsed.api_key).toBe(REDACTED);
    expect(parsed.note).toBe(`Authorization: Bearer ${REDACTED} and ${REDACTED}`);
    expect(parsed.messages[0].content).toBe(`my key is ${REDACTED}, mail me at ${REDACTED}`);
  });

  it('redacts a body with a long run of base64 in linear time, and the email after it (11 s before)', () => {
    const image = `data:image/png;base64,${Buffer.alloc(52_000, 7).toString('base64')}`;
    const body = JSON.stringify({
      content: [{ image_url: { url: image } }, { text: 'from ann.lee+ai@example.co.uk' }],
    });
    const started = performance.now();
    const { text, truncated } = new BodyRedactor({ maxBytes: 100_000, redact: [] }).prepare(body);
    // Not a speed goal: a bound 500 times what it takes, against the 11-15 s of backtracking.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(truncated).toBe(false);
    expect(text).toContain(image);
    expect(text).toContain(`from ${REDACTED}`);
    expect(new BodyRedactor({ maxBytes: 1000, redact: [] }).prepare('x.y@z.io,a@b.cd').text).toBe(
      `${REDACTED},${REDACTED}`,
    );
  });

  it('cuts long bodies at the byte cap on a character boundary and says how much went', () => {
    const { text, truncated } = redactor.prepare(Buffer.from('é'.repeat(100)));
    expect(truncated).toBe(true);
    expect(text).toBe(`${'é'.repeat(32)}…[truncated 136 bytes]`);
    expect(redactor.prepare('short')).toEqual({ text: 'short', truncated: false });
    expect(redactor.prepare(null)).toEqual({ text: null, truncated: false });
  });

  it('never shows part of a secret that straddles the cap', () => {
    const { text } = redactor.prepare(`${'x'.repeat(50)} sk-${'a'.repeat(40)}`);
    expect(text).not.toContain('aaaa');
  });
});
