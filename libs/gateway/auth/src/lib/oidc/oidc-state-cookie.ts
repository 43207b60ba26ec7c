import type { SecretBox } from '@synapse/crypto';
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';

export const OIDC_STATE_COOKIE = 'synapse_oidc';
const COOKIE_PATH = '/api/auth/oidc';
/** Time to sign in at the provider, password manager and second factor included. */
export const OIDC_STATE_TTL_SECONDS = 10 * 60;
const AAD = Buffer.from('synapse oidc state v1');

/** What the callback needs from the login that started it; only the browser holds it, sealed. */
export interface OidcPending {
  state: string;
  nonce: string;
  verifier: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Seals the pending sign-in into a cookie: AES-256-GCM under a key derived from the master key, so
 * any replica can open it, nobody can read or forge it, and no store is needed between the two hops.
 */
export class OidcStateCookie {
  private readonly key: Buffer;

  constructor(
    secrets: SecretBox,
    private readonly secure: boolean,
  ) {
    this.key = secrets.subkey('oidc-state-cookie aes-256-gcm v1');
  }

  /** The `Set-Cookie` value that starts a sign-in. */
  seal(pending: OidcPending): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(AAD);
    const body = Buffer.concat([cipher.update(JSON.stringify(pending)), cipher.final()]);
    const value = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    return this.cookie(value, OIDC_STATE_TTL_SECONDS);
  }

  /** The `Set-Cookie` value that ends it, whatever the outcome: a state is used once. */
  clear(): string {
    return this.cookie('', 0);
  }

  /** The pending sign-in whose state the provider sent back, or null (missing, forged, expired or another's). */
  open(cookieHeader: string | undefined, state: string | undefined): OidcPending | null {
    const value = readCookie(cookieHeader, OIDC_STATE_COOKIE);
    if (!value || !state) return null;
    const pending = this.decrypt(value);
    if (!pending || pending.expiresAt <= Date.now()) return null;
    const [a, b] = [Buffer.from(pending.state), Buffer.from(state)];
    return a.length === b.length && timingSafeEqual(a, b) ? pending : null;
  }

  private decrypt(value: string): OidcPending | null {
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < 12 + 16 + 2) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12)).setAAD(AAD);
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
      const pending = JSON.parse(text.toString()) as Partial<OidcPending>;
      const strings = [pending.state, pending.nonce, pending.verifier].every((v) => typeof v === 'string');
      return strings && typeof pending.expiresAt === 'number' ? (pending as OidcPending) : null;
    } catch {
      return null;
    }
  }

  private cookie(value: string, maxAge: number): string {
    // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
    const flags = `Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`;
    return `${OIDC_STATE_COOKIE}=${value}; ${flags}`;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
