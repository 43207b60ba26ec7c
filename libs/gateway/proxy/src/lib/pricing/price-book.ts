import { RoutePattern } from '@synapse/routing';

/**
 * USD per million tokens, and for what is not billed by tokens (speech, whisper, per-request
 * APIs) per call, per minute of audio and per million characters. Each part applies when the call
 * reports what it prices; a call's cost is their sum.
 */
export interface ModelPrice {
  input: number;
  output: number;
  /** Prompt tokens served from the upstream's cache; left out: the input price. */
  cachedInput?: number;
  /** Each call an upstream accepted: per-request APIs, Cohere's rerank searches. */
  perCall?: number;
  /**
   * A minute of audio: as the upstream reports its length (whisper-1's `usage.seconds`), else, for
   * a call that reports no usage, as the gateway measured it: the uploaded file's (whisper-1's
   * text, srt and vtt answers) or the speech it relayed (audio bytes, which carry no usage).
   */
  perMinute?: number;
  /** A million characters of text to speech (`input` of /v1/audio/speech: tts-1, tts-1-hd). */
  perMillionCharacters?: number;
}

/** Token counts of one call, as the usage extraction reports them. */
export interface PricedUsage {
  promptTokens: number;
  completionTokens: number;
  /** Of the prompt tokens, those served from the upstream's cache. */
  cachedTokens?: number;
  /** Seconds of audio, when the upstream bills by them (whisper-1's `{"type": "duration", "seconds": n}`). */
  audioSeconds?: number;
}

interface GlobPrice {
  /** Matched by its literal parts, not a regular expression (which backtracks over long names). */
  pattern: RoutePattern;
  /** Characters other than '*': the more, the more specific the glob. */
  weight: number;
  price: ModelPrice;
}

const MAX_REMEMBERED = 10_000;

interface Layer {
  exact: Map<string, ModelPrice>;
  globs: GlobPrice[];
}

/**
 * Model prices by name or glob. Within one table a name is priced by its exact entry, else by the
 * most specific glob that matches it (`gpt-4o-mini*` before `gpt-4o*` before `*`). A layered book
 * asks its tables in order (runtime prices, then the config file's, then built-in defaults): the
 * first table that prices a name decides, so a runtime glob overrides a default's exact entry.
 */
export class PriceBook {
  private readonly layers: Layer[];
  /** Answers already found (a book never changes: a new one replaces it), so globs are matched once per name. */
  private readonly found = new Map<string, ModelPrice | null>();

  constructor(prices: Readonly<Record<string, ModelPrice>> = {}) {
    this.layers = [toLayer(prices)];
  }

  /** A book over several tables, the first one winning. */
  static layered(tables: readonly Readonly<Record<string, ModelPrice>>[]): PriceBook {
    const book = new PriceBook();
    book.layers.splice(0, book.layers.length, ...tables.map(toLayer));
    return book;
  }

  get empty(): boolean {
    return this.layers.every((layer) => layer.exact.size === 0 && layer.globs.length === 0);
  }

  priceOf(model: string): ModelPrice | undefined {
    const known = this.found.get(model);
    if (known !== undefined) return known ?? undefined;
    let price: ModelPrice | undefined;
    for (const layer of this.layers) {
      price = layer.exact.get(model) ?? layer.globs.find((glob) => glob.pattern.matches(model))?.price;
      if (price) break;
    }
    // Names come from routed calls, so they are few; the cap only guards against surprises.
    if (this.found.size >= MAX_REMEMBERED) this.found.clear();
    this.found.set(model, price ?? null);
    return price;
  }

  /**
   * What a call cost in USD: the first of `models` that has a price (the upstream model that
   * served, then the name the caller asked for). null when none is priced, or when the call reports
   * nothing its price counts (no usage, and no per-call, per-minute or per-character part that applies).
   */
  costOf(
    models: readonly (string | null | undefined)[],
    usage: PricedUsage | undefined,
    accepted = false,
    characters?: number,
    seconds?: number,
  ): number | null {
    for (const model of models) {
      const price = model ? this.priceOf(model) : undefined;
      if (price) return callCost(price, usage, accepted, characters, seconds);
    }
    return null;
  }
}

/**
 * The sum of the parts of `price` that the call reports; null when none does. `accepted`: an
 * upstream took the call (answered with success, even if a stream broke later), so the parts the
 * gateway measures itself apply: the per-call price, `characters` of text to speech, and `seconds`
 * of audio (uploaded, or relayed) when the upstream reported no usage.
 */
export function callCost(
  price: ModelPrice,
  usage: PricedUsage | undefined,
  accepted = false,
  characters?: number,
  seconds?: number,
): number | null {
  let cost = usage ? costUsd(price, usage) : null;
  const audioSeconds = billedSeconds(usage, accepted, seconds);
  if (price.perMinute !== undefined && audioSeconds !== undefined) {
    cost = (cost ?? 0) + (audioSeconds / 60) * price.perMinute;
  }
  if (price.perMillionCharacters !== undefined && characters !== undefined && accepted) {
    cost = (cost ?? 0) + (characters * price.perMillionCharacters) / 1_000_000;
  }
  if (price.perCall !== undefined && accepted) cost = (cost ?? 0) + price.perCall;
  return cost;
}

/**
 * The seconds of audio a call is billed by: the upstream's, else, when it reported no usage at
 * all and accepted the call, what the gateway measured. Measured seconds stand in for usage,
 * never beside it: a model priced by tokens and by the minute is charged one or the other.
 */
export function billedSeconds(
  usage: PricedUsage | undefined,
  accepted: boolean,
  seconds: number | undefined,
): number | undefined {
  return usage ? usage.audioSeconds : accepted ? seconds : undefined;
}

export function costUsd(price: ModelPrice, usage: PricedUsage): number {
  const cached = price.cachedInput === undefined ? 0 : Math.min(usage.cachedTokens ?? 0, usage.promptTokens);
  return (
    ((usage.promptTokens - cached) * price.input +
      cached * (price.cachedInput ?? price.input) +
      usage.completionTokens * price.output) /
    1_000_000
  );
}

/**
 * Budgets are counted in whole micro-dollars so that counters add exactly (in memory and with
 * Redis INCRBY). Rounded up: a call never counts as free, at most $0.000001 too much per call.
 */
export function toMicroUsd(usd: number): number {
  return usd > 0 ? Math.ceil(usd * 1_000_000 - 1e-9) : 0;
}

function toLayer(prices: Readonly<Record<string, ModelPrice>>): Layer {
  const layer: Layer = { exact: new Map(), globs: [] };
  for (const [name, price] of Object.entries(prices)) {
    if (!name.includes('*')) layer.exact.set(name, price);
    else layer.globs.push({ pattern: new RoutePattern(name), weight: name.replace(/\*/g, '').length, price });
  }
  layer.globs.sort((a, b) => b.weight - a.weight);
  return layer;
}
