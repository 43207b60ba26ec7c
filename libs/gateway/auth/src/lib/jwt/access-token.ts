/** How long an access token is valid. Short; signing out or a password change ends it earlier (SessionRevocations). */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const ACCESS_TOKEN_ISSUER = 'synapsehub';
export const ACCESS_TOKEN_AUDIENCE = 'synapsehub-admin';

/** The claims of an admin access token (JWT, HS256), besides iss, aud, iat and exp. */
export interface AccessTokenClaims {
  /** The user's id. */
  sub: string;
  email: string;
  /** The role when the token was issued; authorization reads the current one (AccessDirectory). */
  role: string;
  /** The session (refresh-token family) the token belongs to. */
  sid?: string;
  /** Issued at, in milliseconds (`iat` has whole seconds only). */
  iatMs?: number;
}

/** The body of a successful `POST /api/auth/login`. */
export interface AccessTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds. */
  expiresIn: number;
}

/** Who made a request, as read from a verified access token. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  role: string;
  /** The session the token belongs to, for signing out. */
  sessionId?: string;
}
