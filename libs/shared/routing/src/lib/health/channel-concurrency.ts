/**
 * Upstream calls in flight per channel on this replica, under one cap for every channel: a
 * channel at its cap is passed over like a cooled-down target (the plan tries the others, then
 * the caller gets 503 with Retry-After) instead of queueing calls without bound in the
 * connection pool. A channel serves several targets and routes, hence a count by channel.
 */
export class ChannelConcurrency {
  private readonly counts = new Map<string, number>();

  /** `limit`: calls in flight per channel at most; 0 for no cap. */
  constructor(readonly limit: number) {}

  full(channelId: string): boolean {
    return this.limit > 0 && (this.counts.get(channelId) ?? 0) >= this.limit;
  }

  take(channelId: string): void {
    if (this.limit > 0) this.counts.set(channelId, (this.counts.get(channelId) ?? 0) + 1);
  }

  release(channelId: string): void {
    if (this.limit === 0) return;
    const count = (this.counts.get(channelId) ?? 0) - 1;
    if (count > 0) this.counts.set(channelId, count);
    else this.counts.delete(channelId);
  }

  inFlight(channelId: string): number {
    return this.counts.get(channelId) ?? 0;
  }
}
