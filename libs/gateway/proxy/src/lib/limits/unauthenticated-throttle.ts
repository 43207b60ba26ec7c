import { normalizeIp, type ThrottlerStorage } from '@nestjs/throttler';
import { GatewayError } from '@synapse/gateway/errors';
import { WINDOW_MS } from './usage-limiter';

/** The throttler name of per-address counters of /v1 calls refused for their key. */
export const UNAUTHENTICATED_THROTTLER = 'v1-unauthenticated';

/**
 * Counts /v1 calls that brought no valid key, per client address, in the shared ThrottlerStorage
 * (Redis across replicas). Past the limit, such calls get 429 instead of 401, so that guessing keys
 * or sending large bodies without one costs the sender, not the gateway. Calls with a valid key are
 * never counted here: one misconfigured client behind a shared address does not lock out the rest.
 */
export class UnauthenticatedThrottle {
  constructor(
    private readonly storage: ThrottlerStorage,
    private readonly perMinute: number,
  ) {}

  /** Counts one refused call; the error to answer with: the refusal itself, or 429 past the limit. */
  async refusal(address: string | undefined, refusal: GatewayError): Promise<GatewayError> {
    if (this.perMinute === 0) return refusal;
    const record = await this.storage.increment(
      // IPv6 callers by /64, as the admin limits count them: a host has a whole subnet to rotate through.
      `ip:${address ? normalizeIp(address) : 'unknown'}`,
      WINDOW_MS,
      this.perMinute,
      0,
      UNAUTHENTICATED_THROTTLER,
    );
    if (!record.isBlocked) return refusal;
    const retryAfter = String(Math.max(1, record.timeToBlockExpire));
    return new GatewayError(
      429,
      'rate_limit_exceeded',
      `Too many calls without a valid API key from this address; retry in ${retryAfter} s.`,
      { type: 'requests', headers: { 'retry-after': retryAfter } },
    );
  }
}
