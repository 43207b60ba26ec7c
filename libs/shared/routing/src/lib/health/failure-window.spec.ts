import { FailureWindow } from './failure-window';

describe(FailureWindow.name, () => {
  it('reports the failure that completes the threshold within the window', () => {
    const window = new FailureWindow(3);
    expect(window.add(0, 1_000)).toBe(false);
    expect(window.add(500, 1_000)).toBe(false);
    expect(window.add(999, 1_000)).toBe(true);
  });

  it('slides: old failures drop out as new ones arrive', () => {
    const window = new FailureWindow(3);
    window.add(0, 1_000);
    window.add(600, 1_000);
    expect(window.add(1_000, 1_000)).toBe(false); // 0 is exactly one window old
    expect(window.add(1_100, 1_000)).toBe(true); // 600, 1000, 1100
    expect(window.count(1_650, 1_000)).toBe(2);
    window.clear();
    expect(window.count(1_650, 1_000)).toBe(0);
  });
});
