/** What one replica may keep of the log's minutes for its rules' windows, by default. */
export const DEFAULT_KEPT_MINUTES_BYTES = 64 * 1024 * 1024;

/**
 * A bound on the memory of the minutes kept for alert windows, shared by the measures that can be
 * large (the percentiles' values: up to ~30 KB a minute, ~43 MB for a day's window). A rule whose
 * minutes would pass it reads its window whole instead (WindowMinutes): slower, exact, and nothing
 * kept.
 */
export class KeptMemory {
  private used = 0;

  constructor(
    readonly maxBytes = DEFAULT_KEPT_MINUTES_BYTES,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Counts `bytes` as kept if they fit; `ruleId` is named in the warning when they do not. */
  take(bytes: number, ruleId: string): boolean {
    if (this.used + bytes > this.maxBytes) {
      this.warn(
        `alert rule ${ruleId}: keeping its window's minutes would pass ${megabytes(this.maxBytes)} MB ` +
          `(ALERT_KEPT_MINUTES_MB, ${megabytes(this.used)} MB kept); it reads its whole window each round instead`,
      );
      return false;
    }
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used -= bytes;
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
