import { FormControl } from '@angular/forms';
import { durationValidator, formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it('reads seconds and the config file units', () => {
    expect(parseDuration('300')).toBe(300);
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration(' 5m ')).toBe(300);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('2d')).toBe(172800);
    expect(parseDuration('5 minutes')).toBeNull();
    expect(parseDuration('-5m')).toBeNull();
    expect(parseDuration('1.5h')).toBeNull();
  });

  it('writes the shortest form', () => {
    expect(formatDuration(0)).toBe('0');
    expect(formatDuration(90)).toBe('90s');
    expect(formatDuration(300)).toBe('5m');
    expect(formatDuration(14400)).toBe('4h');
    expect(formatDuration(86400)).toBe('1d');
  });

  it('checks the range', () => {
    const check = durationValidator(10, 31 * 86400);
    expect(check(new FormControl('5s'))).toEqual({ range: { min: '10s', max: '31d' } });
    expect(check(new FormControl('32d'))).toEqual({ range: { min: '10s', max: '31d' } });
    expect(check(new FormControl('nope'))).toEqual({ duration: true });
    expect(check(new FormControl('1h'))).toBeNull();
  });
});
