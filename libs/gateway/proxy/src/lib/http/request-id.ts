import { randomUUID } from 'node:crypto';

/** Ids come from the gateway only: they key the request log, so callers cannot choose them. */
export function newRequestId(): string {
  return `req_${randomUUID().replace(/-/g, '')}`;
}
