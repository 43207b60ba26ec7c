import { GatewayError } from './gateway-error';

const MAX_MESSAGE = 1000;

/** Replaces the channel's secret, and anything shaped like a bearer key, in text from an upstream. */
export function redactSecrets(text: string, secret: string | null): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.-]{8,}/g, '$1-[redacted]');
}

function messageOf(body: string): { message?: string; type?: string; code?: string | null; param?: string | null } {
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
    if (typeof parsed.message === 'string') return { message: parsed.message };
    if (typeof parsed.detail === 'string') return { message: parsed.detail };
  } catch {
    // not JSON: fall through to the raw text
  }
  return { message: body.trim() || undefined };
}

/**
 * Maps an upstream's error response to the error the caller receives, in OpenAI's shape.
 * The caller's own mistakes (400, 404, 413, 422, 429) keep their status; failures of the channel
 * itself (its key rejected, 5xx) become 502, since the caller can do nothing about them.
 */
export function normalizeUpstreamError(
  status: number,
  body: string,
  secret: string | null,
  retryAfter?: string,
): GatewayError {
  const parsed = messageOf(body);
  const message = redactSecrets(parsed.message ?? `upstream answered with status ${status}`, secret).slice(
    0,
    MAX_MESSAGE,
  );
  const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
  if (status === 401 || status === 403 || status === 407) {
    return new GatewayError(
      502,
      'upstream_auth_failed',
      `The upstream rejected the gateway's credentials: ${message}`,
      {
        type: 'server_error',
      },
    );
  }
  if (status === 429) {
    const code = parsed.code ?? 'rate_limit_exceeded';
    return new GatewayError(429, code, message, {
      type: parsed.type ?? 'rate_limit_error',
      headers,
    });
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
