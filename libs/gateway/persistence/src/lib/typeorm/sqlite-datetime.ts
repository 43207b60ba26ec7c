/** TypeORM's SQLite datetime text (`2026-01-31 12:00:00.000`, UTC), so the ORM reads it back as the same Date. */
export function sqliteDatetime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
