import type { ModelPrice } from './price-book';

/**
 * Defaults for common models, USD per million tokens (input, output, cached input) or per audio
 * minute or million characters, from the
 * providers' public price lists in 2025. They are defaults to check, not a promise: the config
 * file's `prices:` and runtime prices (GraphQL `setModelPrice`) override them. docs/usage-and-cost.md
 */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-20*': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4o-mini-20*': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-20*': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini*': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano*': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o3-20*': { input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini*': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  // Billed by audio minute and by characters, not tokens.
  'whisper-1': { input: 0, output: 0, perMinute: 0.006 },
  'tts-1': { input: 0, output: 0, perMillionCharacters: 15 },
  'tts-1-hd': { input: 0, output: 0, perMillionCharacters: 30 },
  // Tokens when it streams events (their usage), else OpenAI's own estimate by the minute of speech.
  'gpt-4o-mini-tts*': { input: 0.6, output: 12, perMinute: 0.015 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'claude-3-5-sonnet*': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-7-sonnet*': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-sonnet-4*': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-5-haiku*': { input: 0.8, output: 4, cachedInput: 0.08 },
  'claude-3-haiku*': { input: 0.25, output: 1.25, cachedInput: 0.03 },
  'claude-3-opus*': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-opus-4*': { input: 15, output: 75, cachedInput: 1.5 },
  'gemini-1.5-flash*': { input: 0.075, output: 0.3 },
  'gemini-1.5-pro*': { input: 1.25, output: 5 },
  'gemini-2.0-flash*': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gemini-2.0-flash-lite*': { input: 0.075, output: 0.3 },
  'gemini-2.5-flash*': { input: 0.3, output: 2.5, cachedInput: 0.075 },
  'gemini-2.5-pro*': { input: 1.25, output: 10, cachedInput: 0.31 },
  'deepseek-chat': { input: 0.27, output: 1.1, cachedInput: 0.07 },
  'deepseek-reasoner': { input: 0.55, output: 2.19, cachedInput: 0.14 },
};
