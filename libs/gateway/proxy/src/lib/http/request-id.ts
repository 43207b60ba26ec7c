import { randomUUID } from 'node:crypto';

/**
 * Ids come from the gateway only: they key the request log, so callers cannot choose them. They
 * start with the time in milliseconds, so that log inserts append to the primary-key index
 * instead of landing at random pages of it, which made SQLite writes several times dearer.
 */
export function newRequestId(): string {
  return `req_${Date.now().toString(16).padStart(12, '0')}${randomUUID().replace(/-/g, '').slice(12)}`;
}
