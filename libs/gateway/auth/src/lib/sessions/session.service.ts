import { Injectable } from '@nestjs/common';
import { UserRepository } from '@synapse/gateway/persistence';
import { AuthErrors } from '../login/auth-errors';
import { AuthFailureLog } from '../login/auth-failure-log';
import type { ClientInfo } from '../login/client-info';
import { AccessTokenSigner } from '../tokens/access-token-signer';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { tokenPair, type TokenPairResponse } from '../tokens/token-pair';

/** Keeps a session going with its refresh token, or ends it. */
@Injectable()
export class SessionService {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokens,
    private readonly accessTokens: AccessTokenSigner,
    private readonly failures: AuthFailureLog,
  ) {}

  /** A new access token and the next refresh token; the one presented is spent. */
  async refresh(token: string, client: ClientInfo): Promise<TokenPairResponse> {
    const rotation = await this.refreshTokens.rotate(token, client);
    if (!rotation.ok) {
      this.failures.refresh(client.ip, rotation.reason, rotation.userId);
      throw AuthErrors.refreshRejected(rotation.reason);
    }
    // Read again, so that the new access token carries the role as it is now.
    const user = await this.users.findById(rotation.userId);
    if (!user) {
      await this.refreshTokens.endSession(rotation.refreshToken);
      this.failures.refresh(client.ip, 'unknown_user', rotation.userId);
      throw AuthErrors.refreshRejected('revoked');
    }
    return tokenPair(await this.accessTokens.sign(user, rotation.sessionId), rotation);
  }

  /** Ends the session (every refresh token of its family and its access tokens), whatever state the token is in. */
  async logout(token: string, client: ClientInfo): Promise<void> {
    if (!(await this.refreshTokens.endSession(token))) {
      this.failures.logout(client.ip);
      throw AuthErrors.refreshRejected('unknown_token');
    }
  }
}
