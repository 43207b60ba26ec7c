import { logLine } from './log-line';

describe(logLine.name, () => {
  it('keeps ordinary text, Unicode included', () => {
    expect(logLine('The upstream failed (status 500): 模型 overloaded')).toBe(
      'The upstream failed (status 500): 模型 overloaded',
    );
  });

  it('writes line breaks and control characters as JSON escapes, on one line', () => {
    const forged = 'boom\n[Nest] 1  - 12/07/2026, 4:30:00 AM   ERROR [Auth] forged\r\u0000\u001b[31m\u2028';
    expect(logLine(forged)).toBe(
      'boom\\n[Nest] 1  - 12/07/2026, 4:30:00 AM   ERROR [Auth] forged\\r\\u0000\\u001b[31m\\u2028',
    );
    expect(logLine(forged)).not.toMatch(/[\n\r]/);
  });
});
