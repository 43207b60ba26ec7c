import { APIError } from 'openai';

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
