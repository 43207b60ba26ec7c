import type { Endpoint } from '@synapse/gateway/providers';
import { Errors } from '@synapse/gateway/errors';
import type { JsonObject } from './request-body';

/** Caps on one call's output: the smallest of the key's, its user's and its team's, and the gateway's. */
export interface CallCaps {
  /** Completion tokens per choice; undefined: no cap. */
  maxTokens?: number;
  /** Choices per call (`n`, `best_of`). */
  maxChoices: number;
}

/** The gateway's own caps (MAX_CHOICES_PER_CALL), under any key's. */
export const DEFAULT_CALL_CAPS = Symbol('DEFAULT_CALL_CAPS');

/** The caps that hold for a key: its scopes' where they set one, within the gateway's. */
export function capsFor(key: { caps: Partial<CallCaps> | null }, defaults: CallCaps): CallCaps {
  if (!key.caps) return defaults;
  return {
    maxTokens: smallest(key.caps.maxTokens, defaults.maxTokens),
    maxChoices: Math.min(defaults.maxChoices, key.caps.maxChoices ?? Infinity),
  };
}

/** How much output a call may produce: its choices and, when known, tokens per choice. */
export interface CallSize {
  choices: number;
  maxTokens: number | undefined;
  /** The cap was written into the body (the caller set none): it differs from the bytes received. */
  capAdded?: true;
}

/** The field that caps output tokens, per endpoint; chat's older `max_tokens` is read too. */
const TOKEN_FIELD: Partial<Record<Endpoint, string>> = {
  'chat.completions': 'max_completion_tokens',
  completions: 'max_tokens',
};

/**
 * Checks `n`, `best_of` and the output-token fields against the caps, before anything is spent:
 * over a cap is the caller's 400, never a silent cut. When the caller sets no token limit and a cap
 * applies, the cap is written into the body, so that the upstream stops there and the budget
 * reservation holds. Embeddings produce no output and pass.
 */
export function checkCallSize(endpoint: Endpoint, body: JsonObject, caps: CallCaps): CallSize {
  const tokenField = TOKEN_FIELD[endpoint];
  if (!tokenField) return { choices: 1, maxTokens: undefined };
  const n = count(body, 'n');
  const bestOf = endpoint === 'completions' ? count(body, 'best_of') : undefined;
  const choices = Math.max(n ?? 1, bestOf ?? 1);
  if (choices > caps.maxChoices) {
    throw Errors.badRequest(
      `This call asks for ${choices} choices; the limit for this API key is ${caps.maxChoices}.`,
      bestOf !== undefined && bestOf > (n ?? 1) ? 'best_of' : 'n',
      'too_many_choices',
    );
  }
  // Both fields may come (chat); an upstream may read either, so the larger one is what is asked.
  const asked = largest(count(body, tokenField), tokenField === 'max_tokens' ? undefined : count(body, 'max_tokens'));
  if (caps.maxTokens === undefined) return { choices, maxTokens: asked };
  if (asked !== undefined && asked > caps.maxTokens) {
    throw Errors.badRequest(
      `This call asks for up to ${asked} output tokens; the limit for this API key is ${caps.maxTokens}.`,
      count(body, tokenField) === asked ? tokenField : 'max_tokens',
      'max_tokens_too_large',
    );
  }
  if (asked === undefined) {
    body[tokenField] = caps.maxTokens;
    return { choices, maxTokens: caps.maxTokens, capAdded: true };
  }
  return { choices, maxTokens: asked };
}

/** A positive whole number field, or undefined when absent (null counts as absent, as in OpenAI's API). */
function count(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw Errors.badRequest(`The '${field}' field must be a positive whole number.`, field, 'invalid_type');
  }
  return value;
}

/** The smaller of two caps, either possibly absent (no cap). */
function smallest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function largest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/**
 * Writes a chat call's output cap in the one field the upstream takes: the newer
 * `max_completion_tokens`, or `max_tokens` for upstreams from before it. For a cap the gateway
 * added (the caller sent neither), and for a caller's `max_tokens` to a model that refuses it.
 */
export function setOutputCap(body: JsonObject, cap: number, legacy: boolean): void {
  if (legacy) {
    delete body['max_completion_tokens'];
    body['max_tokens'] = cap;
  } else {
    delete body['max_tokens'];
    body['max_completion_tokens'] = cap;
  }
}
