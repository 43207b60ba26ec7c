/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Token counts of one call, as the usage extraction reports them. */
export interface PricedUsage {
  promptTokens: number;
  completionTokens: number;
}

interface GlobPrice {
  pattern: RegExp;
  /** Characters other than '*': the more, the more specific the glob. */
  weight: number;
  price: ModelPrice;
}

/**
 * Model prices from the config file's `prices:` map. A name is priced by its exact entry, else by
 * the most specific glob that matches it (`gpt-4o-mini*` before `gpt-4o*` before `*`).
 */
export class PriceBook {
  private readonly exact = new Map<string, ModelPrice>();
  private readonly globs: GlobPrice[] = [];

  constructor(prices: Readonly<Record<string, ModelPrice>> = {}) {
    for (const [name, price] of Object.entries(prices)) {
      if (!name.includes('*')) this.exact.set(name, price);
      else this.globs.push({ pattern: globToRegExp(name), weight: name.replace(/\*/g, '').length, price });
    }
    this.globs.sort((a, b) => b.weight - a.weight);
  }

  get empty(): boolean {
    return this.exact.size === 0 && this.globs.length === 0;
  }

  priceOf(model: string): ModelPrice | undefined {
    return this.exact.get(model) ?? this.globs.find((glob) => glob.pattern.test(model))?.price;
  }

  /**
   * What a call cost in USD: the first of `models` that has a price (the upstream model that
   * served, then the name the caller asked for). null when none is priced or there is no usage.
   */
  costOf(models: readonly (string | null | undefined)[], usage: PricedUsage | undefined): number | null {
    if (!usage) return null;
    for (const model of models) {
      const price = model ? this.priceOf(model) : undefined;
      if (price) return costUsd(price, usage);
    }
    return null;
  }
}

export function costUsd(price: ModelPrice, usage: PricedUsage): number {
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}

/**
 * Budgets are counted in whole micro-dollars so that counters add exactly (in memory and with
 * Redis INCRBY). Rounded up: a call never counts as free, at most $0.000001 too much per call.
 */
export function toMicroUsd(usd: number): number {
  return usd > 0 ? Math.ceil(usd * 1_000_000 - 1e-9) : 0;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
