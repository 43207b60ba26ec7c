/** What a label value beyond the cap reads as. */
export const OTHER_LABEL = 'other';

/**
 * Keeps a label's values bounded: the first `max` distinct values pass, later ones read `other`.
 * Model names come from callers (a pattern route takes any), so they must not create series at will.
 */
export class LabelCap {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER_LABEL;
    this.seen.add(value);
    return value;
  }
}
