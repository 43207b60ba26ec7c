import type { UpstreamFailure } from '@synapse/gateway/providers';
import { DO_NOT_RETRY, Errors, GatewayError } from '@synapse/gateway/errors';
import { parseRetryAfter } from '@synapse/routing';

const MAX_MESSAGE = 1000;
/** Shorter values would blank out ordinary words of a message and protect nothing. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every form in which a channel's secrets (its API key and each sealed header value) could come
 * back in an upstream's text: as given, JSON-escaped, URL-encoded. Longest first, so that a secret
 * containing another is replaced whole. Built once per catalog snapshot, not per request.
 */
export function secretsToRedact(apiKey: string | null, headers: Readonly<Record<string, string>>): string[] {
  const forms = new Set<string>();
  for (const value of [apiKey, ...Object.values(headers)]) {
    if (!value || value.length < MIN_SECRET_LENGTH) continue;
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
    forms.add(encodeURIComponent(value));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces the channel's secrets, and anything shaped like a bearer key, in text from an upstream. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  return out.replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.-]{8,}/g, '$1-[redacted]');
}

interface UpstreamErrorFields {
  message?: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

function redactedFields(fields: UpstreamErrorFields, secrets: readonly string[]): UpstreamErrorFields {
  const redact = <T extends string | null | undefined>(text: T): T =>
    (typeof text === 'string' ? redactSecrets(text, secrets) : text) as T;
  return {
    message: redact(fields.message),
    type: redact(fields.type),
    code: redact(fields.code),
    param: redact(fields.param),
  };
}

function messageOf(body: string): UpstreamErrorFields {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = parsed.error;
    if (error && typeof error === 'object') {
      const e = error as Record<string, unknown>;
      return {
        message: typeof e['message'] === 'string' ? e['message'] : undefined,
        type: typeof e['type'] === 'string' ? e['type'] : undefined,
        code: typeof e['code'] === 'string' ? e['code'] : e['code'] == null ? null : String(e['code']),
        param: typeof e['param'] === 'string' ? e['param'] : null,
      };
    }
    if (typeof error === 'string') return { message: error };
    // Dify's shape is `{code, message, status}`: keep its code.
    const code = (parsed as { code?: unknown }).code;
    if (typeof parsed.message === 'string') {
      return typeof code === 'string' ? { message: parsed.message, code } : { message: parsed.message };
    }
    if (typeof parsed.detail === 'string') return { message: parsed.detail };
    // FastAPI's validation errors: [{loc: ['body', 'messages'], msg: 'Field required'}, ...].
    if (Array.isArray(parsed.detail)) return { message: validationErrors(parsed.detail) };
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim();
  // A proxy's or load balancer's error page (nginx, Cloudflare) in front of the upstream.
  if (text.startsWith('<')) return { message: webPageMessage(text) };
  return { message: text || undefined };
}

function validationErrors(detail: unknown[]): string | undefined {
  const parts: string[] = [];
  for (const item of detail) {
    if (!item || typeof item !== 'object') continue;
    const { loc, msg } = item as { loc?: unknown; msg?: unknown };
    if (typeof msg !== 'string') continue;
    parts.push(Array.isArray(loc) && loc.length ? `${loc.join('.')}: ${msg}` : msg);
  }
  return parts.length ? parts.join('; ') : undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
/** Pages are read this far: what they say is at the top. */
const PAGE_READ_CHARS = 16 * 1024;

/** What a page says went wrong: its title, else its first heading, else its text; in one pass each (no backtracking). */
function webPageMessage(html: string): string {
  const page = html.slice(0, PAGE_READ_CHARS);
  const lower = page.toLowerCase();
  const said = inside(page, lower, 'title') ?? inside(page, lower, 'h1') ?? page;
  const text = said
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name])
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return text ? `the upstream answered a web page: ${text}` : 'the upstream answered a web page';
}

/** The content of the first `<tag ...>...</tag>`, found by position. */
function inside(page: string, lower: string, tag: string): string | undefined {
  const open = lower.indexOf(`<${tag}`);
  if (open < 0) return undefined;
  const start = lower.indexOf('>', open);
  const end = start < 0 ? -1 : lower.indexOf(`</${tag}`, start);
  return end < 0 ? undefined : page.slice(start + 1, end);
}

/**
 * How APIs that answer an unknown model with a 400 say so: DeepSeek ("Model Not Exist"), OpenRouter
 * ("… is not a valid model ID"), Mistral ("Invalid model: …"), LiteLLM ("Invalid model name …").
 * Bounded repetition only, on the first UNKNOWN_MODEL_READ characters.
 */
const UNKNOWN_MODEL =
  /model not exist|not a valid model|invalid model|unknown model|model [^\n]{0,120}?(?:does not exist|not found)/i;
const UNKNOWN_MODEL_READ = 4096;

/**
 * Whether an upstream's error says it has no such model or path: a 404, or a 400 in the words
 * above. Whose fault that is depends on who named the model (see answeredError).
 */
export function unknownModelOrPath(status: number, body: string): boolean {
  if (status === 404) return true;
  return status === 400 && UNKNOWN_MODEL.test(body.slice(0, UNKNOWN_MODEL_READ));
}

/**
 * Whether an upstream's error says it refused the channel's own credentials: 401, 403, a forward
 * proxy's 407, and Google's 400 `API_KEY_INVALID` (Gemini answers a wrong key with a 400, which
 * reached callers as their own "API key not valid" and was never tried elsewhere).
 */
export function refusedChannelKey(status: number, body: string): boolean {
  if (status === 401 || status === 403 || status === 407) return true;
  return status === 400 && body.includes('API_KEY_INVALID');
}

/**
 * Whether an upstream's error says the channel's own account has no credit left: 402 (DeepSeek's
 * "Insufficient Balance", OpenRouter's credits), OpenAI's 429 `insufficient_quota` (credits spent
 * or the monthly cap reached), Anthropic's 400 "credit balance is too low", a Dify app's 400
 * `provider_quota_exceeded` (its model provider's quota). The channel's to fix, never the
 * caller's: relayed as they came, a caller took OpenAI's `insufficient_quota` for its own gateway
 * budget, and another channel was never tried.
 */
export function spentCredit(status: number, body: string): boolean {
  if (status === 402) return true;
  if (status === 429) return body.includes('insufficient_quota');
  return status === 400 && (body.includes('credit balance is too low') || body.includes('provider_quota_exceeded'));
}

/** The longest Retry-After an SDK is left to sleep on before retrying by itself (OpenAI's Python SDK's own bound). */
const LONGEST_SDK_WAIT_MS = 60_000;

/**
 * Maps an upstream's error response (or a redirect, 3xx) to the error the caller receives, in OpenAI's shape.
 * The caller's own mistakes (400, 404, 413, 422, 429) keep their status; failures of the channel
 * itself (its key rejected, 5xx, a 404 for a model the operator named) become 502, since the
 * caller can do nothing about them.
 * Every text taken from the upstream (message, code, type, param) goes through `redactSecrets`
 * with the channel's `secrets` (see `secretsToRedact`): the request log stores the same message.
 */
export function normalizeUpstreamError(
  status: number,
  body: string,
  secrets: readonly string[],
  retryAfter?: string,
  /** An unknown model or path (unknownModelOrPath) means the model or path the operator set is wrong there, not the caller's request. */
  notFoundIsTargets = false,
): GatewayError {
  if (status < 400) {
    // No LLM API redirects a call: the channel's base URL is most likely out of date (http for https).
    return new GatewayError(
      502,
      'upstream_redirect',
      `The upstream answered with status ${status} instead of an answer; check the channel's base URL.`,
      { type: 'server_error' },
    );
  }
  const parsed = redactedFields(messageOf(body), secrets);
  // An empty or blank message (`{"error": ""}`) says nothing: the caller gets the status instead.
  const message = (parsed.message?.trim() || `upstream answered with status ${status}`).slice(0, MAX_MESSAGE);
  const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
  if (refusedChannelKey(status, body)) {
    return new GatewayError(
      502,
      'upstream_auth_failed',
      `The upstream rejected the gateway's credentials: ${message}`,
      { type: 'server_error', headers: DO_NOT_RETRY },
    );
  }
  if (spentCredit(status, body)) {
    return new GatewayError(
      502,
      'upstream_quota_exhausted',
      `The upstream refused the channel's account: its credit or quota is spent (${status}): ${message}`,
      { type: 'server_error', headers: DO_NOT_RETRY },
    );
  }
  if (status === 429) {
    const code = parsed.code ?? 'rate_limit_exceeded';
    // The Node SDKs sleep for the whole Retry-After before each retry: past a minute (a daily
    // quota), the caller hears of it now and decides.
    const waitMs = parseRetryAfter(retryAfter, Date.now()) ?? 0;
    return new GatewayError(429, code, message, {
      type: parsed.type ?? 'rate_limit_error',
      headers: waitMs > LONGEST_SDK_WAIT_MS ? { ...headers, ...DO_NOT_RETRY } : headers,
    });
  }
  if (notFoundIsTargets && unknownModelOrPath(status, body)) {
    return new GatewayError(
      502,
      'upstream_not_found',
      `The upstream does not know the model or path it was asked for (${status}); check the route's target model and the channel's base URL: ${message}`,
      { type: 'server_error', headers: DO_NOT_RETRY },
    );
  }
  if (status >= 400 && status < 500) {
    return new GatewayError(status, parsed.code ?? 'upstream_bad_request', message, {
      type: parsed.type ?? 'invalid_request_error',
      param: parsed.param ?? null,
    });
  }
  return new GatewayError(502, 'upstream_error', `The upstream failed (status ${status}): ${message}`, {
    type: 'server_error',
    headers,
  });
}

/**
 * What the caller is told when no response arrived (timeout, unreachable, address refused by the
 * egress policy); the failure's own message, which names no secret, goes to the request log.
 */
export function upstreamFailureError(failure: UpstreamFailure): GatewayError {
  const error =
    failure.kind === 'timeout'
      ? Errors.upstreamTimeout()
      : failure.kind === 'refused'
        ? Errors.upstreamAddressRefused()
        : failure.kind === 'invalid_response'
          ? Errors.upstreamInvalidResponse()
          : Errors.upstreamUnreachable();
  error.options.detail = failure.message;
  return error;
}
