import OpenAI, { APIError } from 'openai';

/** Extra request fields steer the mock upstream; the SDK forwards unknown body fields as they are. */
export type WithMock<T> = T & { mock?: Record<string, unknown> };

/** The SDK error of a call that must fail; anything else (success, another error) fails the test. */
export async function apiError(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * A call that must fail, made with the SDK's default retries (two, each after the answer's
 * `Retry-After`), and how many requests the SDK sent for it.
 */
export async function failWithSdkRetries(
  baseURL: string,
  apiKey: string,
  ask: (client: OpenAI) => Promise<unknown>,
): Promise<{ error: APIError; sent: number }> {
  let sent = 0;
  const client = new OpenAI({ apiKey, baseURL, fetch: (url, init) => (sent++, fetch(url, init)) });
  const error = await apiError(ask(client));
  return { error, sent };
}
