/**
 * A route name with '*' wildcards (each matches any run of characters, including none), compiled
 * to its literal parts: matching is startsWith/endsWith/indexOf, no regular expression.
 */
export class RoutePattern {
  /** Length of the literal text before the first '*': the first measure of specificity. */
  readonly prefixLength: number;
  readonly wildcards: number;
  private readonly parts: readonly string[];
  private readonly literalLength: number;

  constructor(readonly source: string) {
    this.parts = source.split('*');
    this.prefixLength = this.parts[0].length;
    this.wildcards = this.parts.length - 1;
    this.literalLength = source.length - this.wildcards;
  }

  static isPattern(name: string): boolean {
    return name.includes('*');
  }

  /**
   * Sort order, most specific first: longest literal prefix, then fewest '*', then most literal
   * characters. A stable sort keeps declaration order for the rest.
   */
  static bySpecificity(a: RoutePattern, b: RoutePattern): number {
    return b.prefixLength - a.prefixLength || a.wildcards - b.wildcards || b.literalLength - a.literalLength;
  }

  matches(model: string): boolean {
    const parts = this.parts;
    const first = parts[0];
    const last = parts[parts.length - 1];
    if (model.length < this.literalLength || !model.startsWith(first) || !model.endsWith(last)) return false;
    // Leftmost matching of the middle parts is enough for '*'-only globs.
    let position = first.length;
    const end = model.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const found = model.indexOf(parts[i], position);
      if (found < 0 || found + parts[i].length > end) return false;
      position = found + parts[i].length;
    }
    return true;
  }
}
