import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { OIDC_STATE_COOKIE, OidcStateCookie, type OidcPending } from './oidc-state-cookie';

const box = (secret = 'oidc-state-cookie-test-secret-0123456789') => new SecretBox(deriveMasterKey(secret));
const PENDING: OidcPending = {
  state: 'state-1',
  nonce: 'nonce-1',
  verifier: 'verifier-1',
  expiresAt: Date.now() + 60_000,
};

/** The `name=value` part of a Set-Cookie, as the browser sends it back. */
const sent = (setCookie: string) => setCookie.split(';')[0];

describe(OidcStateCookie.name, () => {
  const cookies = new OidcStateCookie(box(), true);

  it('seals the pending sign-in into an httpOnly, Lax, Secure cookie on the oidc path that hides it', () => {
    const setCookie = cookies.seal(PENDING);
    expect(setCookie).toMatch(
      new RegExp(`^${OIDC_STATE_COOKIE}=[\\w-]+; Path=/api/auth/oidc; Max-Age=600; HttpOnly; SameSite=Lax; Secure$`),
    );
    expect(setCookie).not.toMatch(/state-1|nonce-1|verifier-1/);
    expect(new OidcStateCookie(box(), false).seal(PENDING)).not.toContain('Secure');
  });

  it('opens for the same state, on any replica with the same master key', () => {
    const header = `other=1; ${sent(cookies.seal(PENDING))}`;
    expect(new OidcStateCookie(box(), true).open(header, 'state-1')).toEqual(PENDING);
  });

  it('refuses another state, a tampered or foreign cookie, an expired one, and none', () => {
    const value = sent(cookies.seal(PENDING));
    expect(cookies.open(value, 'state-2')).toBeNull();
    expect(cookies.open(value, undefined)).toBeNull();
    const tampered = `${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(cookies.open(tampered, 'state-1')).toBeNull();
    expect(new OidcStateCookie(box('another-master-secret-0123456789abcdef'), true).open(value, 'state-1')).toBeNull();
    expect(cookies.open(sent(cookies.seal({ ...PENDING, expiresAt: Date.now() - 1 })), 'state-1')).toBeNull();
    expect(cookies.open(undefined, 'state-1')).toBeNull();
    expect(cookies.open(`${OIDC_STATE_COOKIE}=short`, 'state-1')).toBeNull();
  });

  it('clears itself', () => {
    expect(cookies.clear()).toBe(
      `${OIDC_STATE_COOKIE}=; Path=/api/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax; Secure`,
    );
  });
});
