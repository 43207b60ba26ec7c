import { hashApiKey } from '@synapse/crypto';
import type { GatewayKey } from '@synapse/gateway/persistence';
import passport from 'passport';
import { CatalogSnapshot } from '../catalog/catalog-snapshot';
import type { CatalogService } from '../catalog/catalog.service';
import { Errors, type GatewayError } from '@synapse/gateway/errors';
import { gatewayKey } from '../testing/gateway-key.fixture';
import { GATEWAY_KEY_STRATEGY, GatewayKeyStrategy } from './gateway-key.strategy';

const SECRET = 'sk-strategy-0123456789abcdefghij';

function strategyOver(overrides: Partial<GatewayKey> = {}): GatewayKeyStrategy {
  const snapshot = new CatalogSnapshot(
    { keys: [gatewayKey({ hash: hashApiKey(SECRET), ...overrides })], channels: [], routes: [] },
    (s) => s,
    { connectMs: 1, firstByteMs: 1, totalMs: 1 },
  );
  return new GatewayKeyStrategy({ snapshot } as CatalogService);
}

/**
 * Runs the strategy on one request the way passport's middleware does (a per-request object with
 * success, fail and error), as AuthGuard does for `GET /v1/models`.
 */
function passportAuthenticate<T>(
  strategy: GatewayKeyStrategy,
  request: unknown,
  options: object,
  onFail: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const attempt = Object.create(strategy) as GatewayKeyStrategy & {
      success(user: T): void;
      fail(): void;
      error(error: Error): void;
    };
    attempt.success = (user) => resolve(user);
    attempt.fail = () => reject(onFail());
    attempt.error = (error) => reject(error);
    attempt.authenticate(request as never, options);
  });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: GatewayError) => ({ status: error.status, code: error.code }),
  );

describe(GatewayKeyStrategy.name, () => {
  it('registers with passport under its name', () => {
    strategyOver();
    expect(
      (passport as unknown as { _strategy(name: string): unknown })._strategy(GATEWAY_KEY_STRATEGY),
    ).toBeInstanceOf(GatewayKeyStrategy);
  });

  it('authenticates each of the three headers through passport, resolving to the key', async () => {
    const strategy = strategyOver();
    for (const headers of [{ authorization: `Bearer ${SECRET}` }, { 'x-api-key': SECRET }, { 'api-key': SECRET }]) {
      const key = await passportAuthenticate<{ id: string }>(
        strategy,
        { headers, clientIp: '10.0.0.1' },
        {},
        Errors.invalidKey,
      );
      expect(key.id).toBe('k1');
    }
  });

  it('refuses in OpenAI terms: no key, unknown key, revoked key, address and endpoint outside the allow-lists', async () => {
    const call = (strategy: GatewayKeyStrategy, headers: Record<string, string>, endpoint?: 'embeddings') =>
      passportAuthenticate(strategy, { headers, clientIp: '192.0.2.1' }, { endpoint }, Errors.invalidKey);
    expect(await failure(call(strategyOver(), {}))).toEqual({ status: 401, code: 'missing_api_key' });
    expect(await failure(call(strategyOver(), { 'x-api-key': 'sk-wrong' }))).toEqual({
      status: 401,
      code: 'invalid_api_key',
    });
    expect(await failure(call(strategyOver({ revokedAt: new Date() }), { 'x-api-key': SECRET }))).toEqual({
      status: 401,
      code: 'revoked_api_key',
    });
    expect(await failure(call(strategyOver({ ipAllow: ['10.0.0.0/8'] }), { 'x-api-key': SECRET }))).toEqual({
      status: 401,
      code: 'ip_not_allowed',
    });
    expect(
      await failure(call(strategyOver({ endpoints: ['chat.completions'] }), { 'x-api-key': SECRET }, 'embeddings')),
    ).toEqual({ status: 403, code: 'endpoint_not_allowed' });
  });
});
