/** What one request remembers of the targets it has tried; a handful at most, so plain arrays. */
export class TriedTargets {
  private readonly ids: string[] = [];
  private readonly retryAts: (number | undefined)[] = [];
  private readonly skipped: boolean[] = [];

  /**
   * `retryAt`: when the target said it may be asked again (from Retry-After), epoch ms.
   * `skip`: never again in this request (e.g. it asked for a pause longer than the policy sleeps).
   */
  add(id: string, retryAt: number | undefined, skip: boolean): void {
    const index = this.ids.indexOf(id);
    if (index < 0) {
      this.ids.push(id);
      this.retryAts.push(retryAt);
      this.skipped.push(skip);
    } else {
      this.retryAts[index] = retryAt;
      this.skipped[index] ||= skip;
    }
  }

  has(id: string): boolean {
    return this.ids.includes(id);
  }

  isSkipped(id: string): boolean {
    const index = this.ids.indexOf(id);
    return index >= 0 && this.skipped[index];
  }

  /** How long the target still asked us to wait (from its last Retry-After) at `now`. */
  retryAfterAt(id: string, now: number): number | undefined {
    const index = this.ids.indexOf(id);
    const retryAt = index < 0 ? undefined : this.retryAts[index];
    return retryAt === undefined ? undefined : Math.max(0, retryAt - now);
  }
}
