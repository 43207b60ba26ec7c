import { RequestLogRowRefused } from '../repositories';

/**
 * The error as RequestLogRowRefused when the store refused what the batch holds: SQLite's
 * constraint and type errors, PostgreSQL's data exceptions (class 22) and integrity constraint
 * violations (class 23). Anything else (a lost connection, a full disk) is the store's state.
 */
export function refusedRows(error: unknown): RequestLogRowRefused | undefined {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } })?.code ??
    (error as { driverError?: { code?: unknown } })?.driverError?.code;
  if (typeof code !== 'string') return undefined;
  const refused = /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code) || /^2[23][0-9A-Z]{3}$/.test(code);
  return refused ? new RequestLogRowRefused(`${(error as Error).message} (${code})`) : undefined;
}
