/** What the login page says for the `error` a failed single sign-on comes back with. */
const SSO_ERRORS: Record<string, string> = {
  invalid_state: 'the sign-in took too long or was started in another tab. Try again.',
  provider_error: 'the identity provider did not sign you in.',
  provider_unavailable: 'the identity provider could not be reached.',
  token_exchange_failed: 'the identity provider refused the sign-in.',
  invalid_id_token: 'the identity provider’s answer could not be verified.',
  id_token_expired: 'the identity provider’s answer had expired. Check the server clocks, then try again.',
  email_missing: 'the identity provider did not share your email address.',
  email_not_verified: 'the identity provider does not confirm that your email address is verified.',
  no_role: 'your account at the identity provider is not allowed to use this gateway.',
  signup_disabled: 'there is no account for your email address here. Ask an administrator.',
  owner_link_refused:
    'your email address belongs to an owner account, which single sign-on may not take over here. Sign in with its password.',
  already_linked:
    'the account with your email address is linked to another identity at the identity provider. Ask an administrator.',
};

export function describeSsoError(code: string): string {
  return `Single sign-on failed: ${SSO_ERRORS[code] ?? 'an unexpected error occurred.'}`;
}
