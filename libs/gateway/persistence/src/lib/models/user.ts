import type { KeyLimits } from './gateway-key';

export interface User {
  id: string;
  email: string;
  name: string | null;
  /** A built-in role (owner, admin, operator, auditor, member) or the name of a custom role. */
  role: string;
  /** argon2id; null for accounts that sign in only through single sign-on. */
  passwordHash: string | null;
  /** Caps on the traffic of all the user's keys together; null or absent: none. */
  limits?: KeyLimits | null;
  /**
   * The single sign-on identity linked to the account: the provider's issuer and subject. Set when
   * single sign-on creates the account or links it to an existing one; later sign-ins find the
   * account by it. Null or absent: none linked yet.
   */
  ssoIssuer?: string | null;
  ssoSubject?: string | null;
  createdAt: Date;
  updatedAt: Date;
}
