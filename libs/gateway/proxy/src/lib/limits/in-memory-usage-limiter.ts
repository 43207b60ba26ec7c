import type { KeyLimits } from '@synapse/gateway/persistence';
import { KeyLimiter, secondsToNextWindow, windowOf, type LimitVerdict } from './key-limiter';

interface Usage {
  window: number;
  requests: number;
  tokens: number;
  inFlight: number;
}

/** Limits counted in this process: right for a single replica. */
export class InMemoryKeyLimiter extends KeyLimiter {
  private readonly usage = new Map<string, Usage>();

  async begin(keyId: string, limits: KeyLimits, estimatedTokens: number, now: number): Promise<LimitVerdict> {
    const usage = this.current(keyId, now);
    if (limits.rpm !== undefined && usage.requests >= limits.rpm) {
      return { allowed: false, kind: 'requests', limit: limits.rpm, retryAfterSeconds: secondsToNextWindow(now) };
    }
    if (limits.tpm !== undefined && usage.tokens + estimatedTokens > limits.tpm) {
      return { allowed: false, kind: 'tokens', limit: limits.tpm, retryAfterSeconds: secondsToNextWindow(now) };
    }
    if (limits.concurrency !== undefined && usage.inFlight >= limits.concurrency) {
      return { allowed: false, kind: 'concurrency', limit: limits.concurrency, retryAfterSeconds: 1 };
    }
    usage.requests++;
    usage.inFlight++;
    return { allowed: true };
  }

  end(keyId: string): void {
    const usage = this.usage.get(keyId);
    if (usage && usage.inFlight > 0) usage.inFlight--;
  }

  charge(keyId: string, _limits: KeyLimits, tokens: number, now: number): void {
    this.current(keyId, now).tokens += tokens;
  }

  private current(keyId: string, now: number): Usage {
    const window = windowOf(now);
    let usage = this.usage.get(keyId);
    if (!usage) {
      usage = { window, requests: 0, tokens: 0, inFlight: 0 };
      this.usage.set(keyId, usage);
    } else if (usage.window !== window) {
      // A new minute: the rates start over, requests in flight stay.
      usage.window = window;
      usage.requests = 0;
      usage.tokens = 0;
    }
    return usage;
  }
}
