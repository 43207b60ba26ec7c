/**
 * One entry of a model's price history, set at runtime (GraphQL). The newest entry of a model is
 * its runtime price; a `deleted` entry ends it (the config file's or built-in price applies again).
 * Prices are USD per million tokens.
 */
export interface StoredModelPrice {
  id: string;
  /** A model name, or a glob with `*` (`gpt-4o*`). */
  model: string;
  input: number;
  output: number;
  /** Price of prompt tokens served from the upstream's cache; null: the input price. */
  cachedInput: number | null;
  effectiveFrom: Date;
  /** Email of the account that set it; null when set by the gateway itself. */
  createdBy: string | null;
  deleted: boolean;
}
