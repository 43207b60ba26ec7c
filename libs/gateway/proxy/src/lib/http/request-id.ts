import { randomUUID } from 'node:crypto';

/**
 * Ids come from the gateway only: they key the request log, so callers cannot choose them. They
 * start with the time in milliseconds, so that log inserts append to the primary-key index
 * instead of landing at random pages of it, which made SQLite writes several times dearer.
 */
export function newRequestId(): string {
  // The UUID's last 20 hex digits (its 3rd to 5th groups), cut out without a regex: ~0.3 µs a call.
  const uuid = randomUUID();
  return `req_${Date.now().toString(16).padStart(12, '0')}${uuid.slice(14, 18)}${uuid.slice(19, 23)}${uuid.slice(24)}`;
}
