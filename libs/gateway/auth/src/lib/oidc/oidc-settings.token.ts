/** The `OidcSettings` of the gateway, or null when single sign-on is off. */
export const OIDC_SETTINGS = Symbol('OIDC_SETTINGS');
