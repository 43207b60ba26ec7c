import { compileCidrs } from '@synapse/gateway/config';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether `/metrics` answers a request, and if not, how it refuses. */
export type MetricsVerdict = 'allowed' | 'disabled' | 'unauthorized' | 'forbidden';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Who may read `/metrics`: it is off unless METRICS_TOKEN or METRICS_ALLOW is set; when both are,
 * a scrape needs both (the right Bearer token, from an allowed address).
 */
export class MetricsAccess {
  private readonly tokenDigest: Buffer | undefined;
  private readonly allowed: ((address: string) => boolean) | undefined;

  constructor(settings: { token?: string; allow: readonly string[] }) {
    this.tokenDigest = settings.token ? digest(settings.token) : undefined;
    this.allowed = settings.allow.length > 0 ? compileCidrs(settings.allow) : undefined;
  }

  get configured(): boolean {
    return this.tokenDigest !== undefined || this.allowed !== undefined;
  }

  check(authorization: string | undefined, address: string): MetricsVerdict {
    if (!this.configured) return 'disabled';
    if (this.allowed && !this.allowed(address)) return 'forbidden';
    if (this.tokenDigest) {
      const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
      if (!token || !timingSafeEqual(digest(token), this.tokenDigest)) return 'unauthorized';
    }
    return 'allowed';
  }
}

/** Equal-length digests, so that the comparison takes the same time whatever was sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
