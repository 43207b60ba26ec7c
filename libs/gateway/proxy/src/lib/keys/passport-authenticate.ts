/**
 * Runs a passport strategy on one request the way passport's middleware does (a per-request
 * object with success, fail and error), for the raw `/v1` handler that runs ahead of Nest and its
 * guards (ADR 0002). Resolves with the user (here: the key); rejects with the strategy's error.
 */
export function passportAuthenticate<T>(
  strategy: PassportStrategyLike,
  request: unknown,
  options: object,
  onFail: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const attempt = Object.create(strategy) as PassportStrategyLike & PassportActions<T>;
    attempt.success = (user) => resolve(user);
    attempt.fail = () => reject(onFail());
    attempt.error = (error) => reject(error);
    attempt.pass = () => reject(onFail());
    attempt.redirect = () => reject(onFail());
    attempt.authenticate(request, options);
  });
}

/** What passport calls on a strategy (a method, so that strategies typed for Express requests fit). */
export interface PassportStrategyLike {
  authenticate(request: unknown, options?: unknown): void;
}

interface PassportActions<T> {
  success(user: T, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  error(error: Error): void;
  pass(): void;
  redirect(url: string, status?: number): void;
}
