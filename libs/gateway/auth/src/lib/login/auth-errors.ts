import { GatewayError } from '@synapse/gateway/errors';
import type { RefreshRejection } from '../tokens/refresh-tokens.service';

const SIGN_IN_AGAIN = 'sign in again (POST /api/auth/login)';

const REFRESH_REJECTIONS: Record<RefreshRejection, [code: string, message: string]> = {
  unknown_token: ['invalid_refresh_token', `The refresh token is not valid: ${SIGN_IN_AGAIN}.`],
  expired: ['refresh_token_expired', `The refresh token has expired: ${SIGN_IN_AGAIN}.`],
  revoked: ['refresh_token_revoked', `The refresh token has been revoked: ${SIGN_IN_AGAIN}.`],
  reused: [
    'refresh_token_reused',
    `The refresh token was already used, so its session has been ended in case it was stolen: ${SIGN_IN_AGAIN}.`,
  ],
  session_expired: [
    'session_expired',
    `The session has reached its maximum age (SESSION_MAX_AGE_HOURS) and has ended: ${SIGN_IN_AGAIN}.`,
  ],
};

const SIGN_IN_WITH_SSO = 'sign in with single sign-on again (GET /api/auth/oidc/login)';
const SSO_CODE_REJECTIONS = {
  invalid_code: `The sign-in code is not valid: ${SIGN_IN_WITH_SSO}.`,
  code_expired: `The sign-in code has expired (it lives 60 seconds): ${SIGN_IN_WITH_SSO}.`,
  code_used: `The sign-in code was already used, so its session has been ended in case it was stolen: ${SIGN_IN_WITH_SSO}.`,
};

function minutes(seconds: number): string {
  const n = Math.ceil(seconds / 60);
  return n === 1 ? '1 minute' : `${n} minutes`;
}

/** The errors of `/api/auth/*`, answered as `{ statusCode, error, message }`. */
export const AuthErrors = {
  /** One answer for an unknown email and a wrong password, so that nobody can probe for accounts. */
  invalidCredentials: () => new GatewayError(401, 'invalid_credentials', 'Incorrect email or password.'),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new GatewayError(
      429,
      'too_many_attempts',
      `Too many failed sign-in attempts: try again in ${minutes(retryAfterSeconds)}.`,
      { headers: { 'retry-after': String(retryAfterSeconds) } },
    ),
  refreshRejected: (reason: RefreshRejection) => new GatewayError(401, ...REFRESH_REJECTIONS[reason]),
  missingAccessToken: () =>
    new GatewayError(401, 'missing_token', 'Send "Authorization: Bearer <access token>" from POST /api/auth/login.'),
  invalidAccessToken: () => new GatewayError(401, 'invalid_token', `The access token is not valid: ${SIGN_IN_AGAIN}.`),
  expiredAccessToken: () =>
    new GatewayError(401, 'token_expired', 'The access token has expired: refresh it (POST /api/auth/refresh).'),
  accountGone: () => new GatewayError(401, 'invalid_token', 'Your account no longer exists.'),
  wrongCurrentPassword: () => new GatewayError(401, 'invalid_credentials', 'The current password is incorrect.'),
  noPassword: () =>
    new GatewayError(400, 'no_password', 'This account has no password to change: it signs in through single sign-on.'),
  ssoCodeRejected: (reason: 'invalid_code' | 'code_expired' | 'code_used') =>
    new GatewayError(401, reason, SSO_CODE_REJECTIONS[reason]),
  samePassword: () => new GatewayError(400, 'invalid_request', 'newPassword must differ from currentPassword.'),
};
