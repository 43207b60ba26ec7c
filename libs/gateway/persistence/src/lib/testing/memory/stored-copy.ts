/**
 * A deep copy of a record, as a store keeps and hands out: a caller changing its object afterwards
 * changes nothing stored. Not structuredClone, whose Dates come from another realm under Jest and
 * fail `instanceof Date`.
 */
export function storedCopy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map((item) => storedCopy(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, storedCopy(field)])) as T;
  }
  return value;
}

/** Throws as a unique index of the SQL stores does when another record already holds the value. */
export function refuseDuplicate<Model extends { id: string }>(
  stored: Iterable<Model>,
  saved: Model,
  column: keyof Model,
  table: string,
): void {
  for (const other of stored) {
    if (other.id !== saved.id && other[column] === saved[column]) {
      throw new Error(`UNIQUE constraint failed: ${table}.${String(column)}`);
    }
  }
}
