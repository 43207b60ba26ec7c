/** The text of the last whole second formatted: log rows come in time order, so most reuse it. */
let lastSecond = NaN;
let lastPrefix = '';

/** TypeORM's SQLite datetime text (`2026-01-31 12:00:00.000`, UTC), so the ORM reads it back as the same Date. */
export function sqliteDatetime(date: Date): string {
  const time = date.getTime();
  const second = Math.floor(time / 1000);
  if (second !== lastSecond) {
    const iso = date.toISOString();
    lastPrefix = `${iso.slice(0, 10)} ${iso.slice(11, 20)}`;
    lastSecond = second;
  }
  const millis = time - second * 1000;
  return lastPrefix + (millis < 10 ? '00' : millis < 100 ? '0' : '') + millis;
}
