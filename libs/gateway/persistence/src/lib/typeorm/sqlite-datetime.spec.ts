import { sqliteDatetime } from './sqlite-datetime';

/** The format as TypeORM writes it, computed the plain way. */
const expected = (date: Date) => date.toISOString().replace('T', ' ').slice(0, 23);

describe(sqliteDatetime.name, () => {
  it('writes UTC with milliseconds, as TypeORM does', () => {
    expect(sqliteDatetime(new Date(Date.UTC(2026, 0, 31, 12, 0, 0, 7)))).toBe('2026-01-31 12:00:00.007');
    expect(sqliteDatetime(new Date(Date.UTC(2026, 0, 31, 12, 0, 0, 70)))).toBe('2026-01-31 12:00:00.070');
    expect(sqliteDatetime(new Date(Date.UTC(2026, 0, 31, 12, 0, 0, 700)))).toBe('2026-01-31 12:00:00.700');
  });

  it('stays right across second, day and year boundaries and out of order', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = Array.from({ length: 3000 }, (_, i) => start + i * 7);
    for (const time of [...times, ...times.reverse(), 0, 1, 999, 1000, -1, -1001]) {
      expect(sqliteDatetime(new Date(time))).toBe(expected(new Date(time)));
    }
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => sqliteDatetime(new Date(NaN))).toThrow(RangeError);
  });
});
