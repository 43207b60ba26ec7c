import type { AccessTokenResponse } from '../jwt/access-token';

/**
 * How long a refresh token is valid; each refresh issues a new one with the full lifetime, cut
 * short by the end of the session (SESSION_MAX_AGE_HOURS after the sign-in).
 */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

/** The body of a successful `POST /api/auth/login` and `POST /api/auth/refresh`. */
export interface TokenPairResponse extends AccessTokenResponse {
  /** Opaque; send it to `POST /api/auth/refresh` once, then use the one that comes back. */
  refreshToken: string;
  /** Seconds until the refresh token expires: its lifetime, or less near the session's end. */
  refreshExpiresIn: number;
}

export function tokenPair(
  access: AccessTokenResponse,
  refresh: { refreshToken: string; expiresIn: number },
): TokenPairResponse {
  return { ...access, refreshToken: refresh.refreshToken, refreshExpiresIn: refresh.expiresIn };
}
