import { hashApiKey } from '@synapse/crypto';
import type { GatewayKey } from '@synapse/gateway/persistence';
import { CatalogSnapshot } from '../catalog/catalog-snapshot';
import type { GatewayError } from '@synapse/gateway/errors';
import { gatewayKey } from '../testing/gateway-key.fixture';
import { authenticate } from './authenticate-key';
import { KeyHashes } from './key-hashes';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const SECRET = 'sk-current-0123456789abcdefghij';
const OLD_SECRET = 'sk-previous-0123456789abcdefghij';

function key(overrides: Partial<GatewayKey> = {}): GatewayKey {
  return gatewayKey({ prefix: 'sk-current', hash: hashApiKey(SECRET), ...overrides });
}

function catalogWith(overrides: Partial<GatewayKey>): CatalogSnapshot {
  return new CatalogSnapshot({ keys: [key(overrides)], channels: [], routes: [] }, (s) => s, {
    connectMs: 1,
    firstByteMs: 1,
    totalMs: 1,
  });
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

function failure(run: () => unknown): { status: number; code: string } {
  try {
    run();
  } catch (error) {
    const { status, code } = error as GatewayError;
    return { status, code };
  }
  throw new Error('expected authenticate to throw');
}

describe(authenticate.name, () => {
  it('accepts the current secret, and the previous one only during its grace period', () => {
    const catalog = catalogWith({ previousHash: hashApiKey(OLD_SECRET), previousValidUntil: new Date(NOW + 1_000) });
    expect(authenticate(bearer(SECRET), catalog, '127.0.0.1', 'chat.completions', NOW).id).toBe('k1');
    expect(authenticate(bearer(OLD_SECRET), catalog, '127.0.0.1', 'chat.completions', NOW).id).toBe('k1');
    expect(
      failure(() => authenticate(bearer(OLD_SECRET), catalog, '127.0.0.1', 'chat.completions', NOW + 1_000)),
    ).toEqual({ status: 401, code: 'invalid_api_key' });
  });

  it('refuses a revoked key, also by its previous secret, with revoked_api_key', () => {
    const catalog = catalogWith({
      revokedAt: new Date(NOW),
      previousHash: hashApiKey(OLD_SECRET),
      previousValidUntil: new Date(NOW + 60_000),
    });
    for (const secret of [SECRET, OLD_SECRET]) {
      expect(failure(() => authenticate(bearer(secret), catalog, undefined, undefined, NOW))).toEqual({
        status: 401,
        code: 'revoked_api_key',
      });
    }
  });

  it('refuses an endpoint the key is not allowed with 403, and lets the others through', () => {
    const catalog = catalogWith({ endpoints: ['embeddings'] });
    expect(authenticate(bearer(SECRET), catalog, undefined, 'embeddings', NOW).id).toBe('k1');
    expect(failure(() => authenticate(bearer(SECRET), catalog, undefined, 'chat.completions', NOW))).toEqual({
      status: 403,
      code: 'endpoint_not_allowed',
    });
  });

  it('refuses callers outside the IP allow-list, and callers of unknown address, with 401', () => {
    const catalog = catalogWith({ ipAllow: ['10.0.0.0/8', '::1/128'] });
    expect(authenticate(bearer(SECRET), catalog, '10.1.2.3', 'embeddings', NOW).id).toBe('k1');
    expect(authenticate(bearer(SECRET), catalog, '::1', 'embeddings', NOW).id).toBe('k1');
    for (const ip of ['127.0.0.1', '::ffff:127.0.0.1', undefined]) {
      expect(failure(() => authenticate(bearer(SECRET), catalog, ip, 'embeddings', NOW))).toEqual({
        status: 401,
        code: 'ip_not_allowed',
      });
    }
  });

  it('keeps the existing checks: missing, unknown, disabled and expired keys', () => {
    const catalog = catalogWith({});
    expect(failure(() => authenticate({}, catalog, undefined, undefined, NOW)).code).toBe('missing_api_key');
    expect(failure(() => authenticate(bearer('sk-nope'), catalog, undefined, undefined, NOW)).code).toBe(
      'invalid_api_key',
    );
    expect(
      failure(() => authenticate(bearer(SECRET), catalogWith({ enabled: false }), undefined, undefined, NOW)).code,
    ).toBe('disabled_api_key');
    expect(
      failure(() => authenticate(bearer(SECRET), catalogWith({ expiresAt: new Date(NOW) }), undefined, undefined, NOW))
        .code,
    ).toBe('expired_api_key');
  });

  describe('with remembered hashes', () => {
    /** Counts the hashes it computes. */
    class CountingHashes extends KeyHashes {
      computed = 0;
      override hash(secret: string): string {
        this.computed++;
        return super.hash(secret);
      }
    }

    it('hashes a matching secret once, and an unknown one at every call without remembering it', () => {
      const hashes = new CountingHashes();
      const catalog = catalogWith({});
      for (let i = 0; i < 3; i++) {
        expect(authenticate(bearer(SECRET), catalog, undefined, undefined, NOW, hashes).id).toBe('k1');
      }
      expect(hashes.computed).toBe(1);
      for (let i = 0; i < 3; i++) {
        expect(
          failure(() => authenticate(bearer(`sk-unknown-${i}`), catalog, undefined, undefined, NOW, hashes)),
        ).toEqual({ status: 401, code: 'invalid_api_key' });
      }
      expect(hashes.computed).toBe(4);
      expect(hashes.size).toBe(1);
    });

    it('still asks the catalog: a remembered secret of a key revoked or deleted since is refused', () => {
      const hashes = new CountingHashes();
      expect(authenticate(bearer(SECRET), catalogWith({}), undefined, undefined, NOW, hashes).id).toBe('k1');
      expect(
        failure(() =>
          authenticate(bearer(SECRET), catalogWith({ revokedAt: new Date(NOW) }), undefined, undefined, NOW, hashes),
        ),
      ).toEqual({ status: 401, code: 'revoked_api_key' });
      const deleted = new CatalogSnapshot({ keys: [], channels: [], routes: [] }, (s) => s, {
        connectMs: 1,
        firstByteMs: 1,
        totalMs: 1,
      });
      expect(failure(() => authenticate(bearer(SECRET), deleted, undefined, undefined, NOW, hashes))).toEqual({
        status: 401,
        code: 'invalid_api_key',
      });
      // Forgotten with its key.
      expect(hashes.size).toBe(0);
    });

    it('remembers at most its bound, forgetting the first remembered', () => {
      const hashes = new KeyHashes(2);
      hashes.remember('a', 'ha');
      hashes.remember('b', 'hb');
      hashes.remember('c', 'hc');
      expect(hashes.size).toBe(2);
      expect(hashes.remembered('a')).toBeUndefined();
      expect(hashes.remembered('c')).toBe('hc');
    });
  });
});
