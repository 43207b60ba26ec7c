/**
 * One entry of a model's price history, set at runtime (GraphQL). The newest entry of a model is
 * its runtime price; a `deleted` entry ends it (the config file's or built-in price applies again).
 * Token prices are USD per million tokens.
 */
export interface StoredModelPrice {
  id: string;
  /** A model name, or a glob with `*` (`gpt-4o*`). */
  model: string;
  input: number;
  output: number;
  /** Price of prompt tokens served from the upstream's cache; null: the input price. */
  cachedInput: number | null;
  /** USD per call an upstream accepted; null: none. */
  perCall: number | null;
  /** USD per minute of audio the upstream reports (whisper-1); null: none. */
  perMinute: number | null;
  /** USD per million characters of text to speech (tts-1); null: none. */
  perMillionCharacters: number | null;
  effectiveFrom: Date;
  /** Email of the account that set it; null when set by the gateway itself. */
  createdBy: string | null;
  deleted: boolean;
}
