import { firstBytes, type DeliveryOutcome } from './notifier';

/** One HTTP POST and the receiver's answer; throws on a network error (refused, timed out, …). */
export type HttpPost = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<{ status: number; body: string }>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubled before each next one. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 1_000 };

/** Errors that no retry can help: the egress policy refused the address. */
const FINAL_ERROR_CODES = new Set(['UPSTREAM_ADDRESS_REFUSED']);

/**
 * Posts JSON, retrying with exponential backoff on 5xx answers and network errors, never on other
 * answers (a 4xx will not change). `accept` reads a 2xx answer for receivers that report their
 * errors in the body (DingTalk, Feishu, WeCom answer 200 with an error code).
 */
export class HttpDelivery {
  constructor(
    private readonly post: HttpPost,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async send(
    url: string,
    body: unknown,
    headers: Record<string, string> = {},
    accept: (answer: string) => string | null = () => null,
  ): Promise<DeliveryOutcome> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    let outcome: DeliveryOutcome = { ok: false, attempts: 0, statusCode: null, response: null, error: null };
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.retry.baseDelayMs * 2 ** (attempt - 2));
      let retryable: boolean;
      try {
        const answer = await this.post({
          url,
          headers: { 'content-type': 'application/json', 'user-agent': 'SynapseHub-Alerts', ...headers },
          body: text,
        });
        const response = firstBytes(answer.body);
        const success = answer.status >= 200 && answer.status < 300;
        const refusal = success ? accept(answer.body) : null;
        outcome = {
          ok: success && refusal === null,
          attempts: attempt,
          statusCode: answer.status,
          response,
          error: success ? refusal : `the receiver answered HTTP ${answer.status}`,
        };
        retryable = answer.status >= 500;
      } catch (error) {
        const failure = error as NodeJS.ErrnoException;
        outcome = { ok: false, attempts: attempt, statusCode: null, response: null, error: failure.message };
        retryable = !FINAL_ERROR_CODES.has(failure.code ?? '');
      }
      if (outcome.ok || !retryable) return outcome;
    }
    return outcome;
  }
}

/** For receivers that answer 200 with `{ <field>: 0 }` on success and another code on failure. */
export function nonZeroCode(field: string): (answer: string) => string | null {
  return (answer) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer);
    } catch {
      return null;
    }
    const code = (parsed as Record<string, unknown> | null)?.[field];
    return code === undefined || code === 0 ? null : `the receiver refused the message (${field} ${String(code)})`;
  };
}
