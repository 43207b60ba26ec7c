import type { AccessTokenFailure } from '../login/auth-failure-log';
import { TOKEN_REVOKED } from './jwt.strategy';

/** Why passport refused an access token, from its `info` (the same for GraphQL and REST guards). */
export function accessTokenFailure(authorization: string | undefined, info: unknown): AccessTokenFailure {
  if (!authorization) return 'missing_token';
  const name = (info as Error | undefined)?.name;
  if (name === 'TokenExpiredError') return 'expired_token';
  if (name === TOKEN_REVOKED) return 'revoked_token';
  return 'invalid_token';
}
