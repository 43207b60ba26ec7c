import { RateWindow } from './rate-window';

describe(RateWindow.name, () => {
  it('takes up to the limit within a window and refuses the rest without counting them', () => {
    const window = new RateWindow(60_000);
    const now = 6_000_000;
    for (let i = 0; i < 3; i++) expect(window.tryTake('t', 1, 3, now + i)).toBe(true);
    expect(window.tryTake('t', 1, 3, now + 10)).toBe(false);
    expect(window.used('t', now + 10)).toBe(3);
    expect(window.remaining('other', 3, now)).toBe(3);
  });

  it('weights the previous window by how much of it the sliding window still covers', () => {
    const window = new RateWindow(60_000);
    const start = 6_000_000; // a window boundary
    window.add('t', 60, start + 30_000);
    expect(window.used('t', start + 60_000)).toBe(60); // the whole previous window still covered
    expect(window.used('t', start + 90_000)).toBe(30); // half of it
    expect(window.tryTake('t', 40, 60, start + 90_000)).toBe(false);
    expect(window.tryTake('t', 30, 60, start + 90_000)).toBe(true);
    expect(window.used('t', start + 240_000)).toBe(0); // two windows later nothing is left
  });
});
