/** Why a single sign-on failed: the `error` the console's login page gets, and the reason in the log. */
export type OidcFailureCode =
  | 'provider_error'
  | 'provider_unavailable'
  | 'invalid_state'
  | 'token_exchange_failed'
  | 'invalid_id_token'
  | 'id_token_expired'
  | 'email_missing'
  | 'email_not_verified'
  | 'no_role'
  | 'signup_disabled'
  | 'owner_link_refused'
  | 'already_linked';

/**
 * A refused single sign-on. `detail` is for the log only (which check failed, the provider's error
 * code); it never holds a token, a code or a secret, and never reaches the browser.
 */
export class OidcFailure extends Error {
  constructor(
    readonly code: OidcFailureCode,
    readonly detail?: string,
    /** The email the provider asserted, when known: masked in the log. */
    readonly email?: string,
    /** The existing account the identity was refused a link to: the audit event is then `auth.ssoLink`. */
    readonly accountId?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'OidcFailure';
  }
}
