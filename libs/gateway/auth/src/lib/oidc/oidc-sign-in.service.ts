import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@synapse/gateway/audit';
import type { OidcSettings, RoleName } from '@synapse/gateway/config';
import { UserRepository, type User } from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { AccessDirectory } from '../access/access-directory';
import { AuthErrors } from '../login/auth-errors';
import { AuthFailureLog, maskEmail } from '../login/auth-failure-log';
import type { ClientInfo } from '../login/client-info';
import { AccessTokenSigner } from '../tokens/access-token-signer';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { tokenPair, type TokenPairResponse } from '../tokens/token-pair';
import { OidcClient } from './oidc-client';
import { OidcFailure, type OidcFailureCode } from './oidc-failure';
import type { OidcIdentity } from './oidc-identity';
import { OIDC_SETTINGS } from './oidc-settings.token';
import { OIDC_STATE_TTL_SECONDS, OidcStateCookie } from './oidc-state-cookie';
import { randomToken } from './pkce';

/** How long the console has to exchange the code it is handed. */
export const SSO_CODE_TTL_SECONDS = 60;

/** Where the console's single sign-on page lives, relative to CONSOLE_URL. */
const CONSOLE_SSO_PAGE = '/login/sso';
const CONSOLE_LOGIN_PAGE = '/login';

/**
 * Single sign-on from start to session: the redirect to the provider, the account for a verified
 * identity, and the one-time code the console trades for the same token pair a password gives.
 */
@Injectable()
export class OidcSignInService {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    private readonly client: OidcClient,
    private readonly stateCookie: OidcStateCookie,
    private readonly users: UserRepository,
    private readonly accessTokens: AccessTokenSigner,
    private readonly refreshTokens: RefreshTokens,
    private readonly failures: AuthFailureLog,
    private readonly directory: AccessDirectory,
    private readonly audit: AuditTrail,
  ) {}

  /** The provider's authorization URL and the cookie that remembers this sign-in. */
  async start(): Promise<{ url: string; cookie: string }> {
    const pending = {
      state: randomToken(),
      nonce: randomToken(),
      verifier: randomToken(),
      expiresAt: Date.now() + OIDC_STATE_TTL_SECONDS * 1000,
    };
    return { url: await this.client.authorizationUrl(pending), cookie: this.stateCookie.seal(pending) };
  }

  /**
   * Finds the account by email, or creates it, and starts its session. The session's first refresh
   * token, living 60 seconds, is the one-time code: it goes to the console in the URL fragment (never
   * sent to a server, never in access logs), and any replica can redeem it once.
   */
  async complete(identity: OidcIdentity, client: ClientInfo): Promise<string> {
    const user = await this.account(identity, client);
    const { refreshToken: code } = await this.refreshTokens.start(user.id, client, SSO_CODE_TTL_SECONDS);
    return `${this.settings.consoleUrl}${CONSOLE_SSO_PAGE}#code=${code}`;
  }

  /** `POST /api/auth/oidc/exchange`: the code for a token pair, once. */
  async exchange(code: string, client: ClientInfo): Promise<TokenPairResponse> {
    const rotation = await this.refreshTokens.rotate(code, client);
    if (!rotation.ok) {
      const reason =
        rotation.reason === 'unknown_token'
          ? 'invalid_code'
          : rotation.reason === 'expired' || rotation.reason === 'session_expired'
            ? 'code_expired'
            : 'code_used';
      this.failures.ssoCode(client.ip, reason, rotation.userId);
      throw AuthErrors.ssoCodeRejected(reason);
    }
    const user = await this.users.findById(rotation.userId);
    if (!user) {
      await this.refreshTokens.endSession(rotation.refreshToken);
      this.failures.ssoCode(client.ip, 'unknown_user', rotation.userId);
      throw AuthErrors.ssoCodeRejected('invalid_code');
    }
    return tokenPair(await this.accessTokens.sign(user, rotation.sessionId), rotation);
  }

  /** The console's login page, told why. */
  failureUrl(code: OidcFailureCode): string {
    return `${this.settings.consoleUrl}${CONSOLE_LOGIN_PAGE}?error=${code}`;
  }

  /**
   * The claim decides whether someone may come in (a `none` default refuses the unmapped, new or
   * not); the stored role decides what they may do, unless OIDC_SYNC_ROLE lets the claim set it.
   * An identity linked before finds its account by issuer and subject. Otherwise the email finds
   * or creates one, and only a verified email may: anyone can type an address into a profile at
   * a provider that does not check it. Linking to an existing account is audited, and refused for
   * an owner unless OIDC_LINK_OWNER allows it: whoever controls the email at the provider would
   * otherwise hold the gateway.
   */
  private async account(identity: OidcIdentity, client: ClientInfo): Promise<User> {
    const { email, role } = identity;
    if (!role) throw new OidcFailure('no_role', `subject ${identity.sub}`, email);
    const linked = await this.users.findBySsoIdentity(identity.issuer, identity.sub);
    if (linked) return this.withRole(linked, role);
    if (!identity.emailVerified) {
      throw new OidcFailure(
        'email_not_verified',
        'no email_verified claim, and OIDC_TRUSTED_EMAIL_ISSUERS does not list the issuer',
        email,
      );
    }
    const existing = await this.users.findByEmail(email);
    const now = new Date();
    if (!existing) {
      if (!this.settings.allowSignup) throw new OidcFailure('signup_disabled', undefined, email);
      const user: User = {
        id: randomUUID(),
        email,
        name: identity.name,
        role,
        passwordHash: null,
        ssoIssuer: identity.issuer,
        ssoSubject: identity.sub,
        createdAt: now,
        updatedAt: now,
      };
      return this.saved(user);
    }
    // An account linked to one identity is never taken over by another claiming the same email.
    if (existing.ssoSubject && (existing.ssoSubject !== identity.sub || existing.ssoIssuer !== identity.issuer)) {
      throw new OidcFailure(
        'already_linked',
        `the account is linked to subject ${existing.ssoSubject} of ${existing.ssoIssuer}`,
        email,
        existing.id,
      );
    }
    if (existing.role === 'owner' && !this.settings.linkOwner) {
      throw new OidcFailure(
        'owner_link_refused',
        'the account is an owner and OIDC_LINK_OWNER is false',
        email,
        existing.id,
      );
    }
    const user = await this.withRole(
      { ...existing, ssoIssuer: identity.issuer, ssoSubject: identity.sub, updatedAt: now },
      role,
      true,
    );
    this.recordLink(user, client);
    return user;
  }

  /**
   * The account as it signs in: its role replaced by the claim's when OIDC_SYNC_ROLE says so (an
   * owner keeps the role: demoting through a group change could leave the gateway without one).
   */
  private async withRole(user: User, role: RoleName, changed = false): Promise<User> {
    const sync = this.settings.syncRole && user.role !== role && !(user.role === 'owner' && role !== 'owner');
    if (!sync && !changed) return user;
    return this.saved(sync ? { ...user, role, updatedAt: new Date() } : user);
  }

  /** Each link of an identity to an account that existed before (and was linked to none). */
  private recordLink(user: User, client: ClientInfo): void {
    const detail = `linked subject ${user.ssoSubject} of ${user.ssoIssuer} by its verified email`;
    this.logger.log(`sso identity linked to the existing account ${maskEmail(user.email)} (${user.id})`);
    this.audit.record({
      action: 'auth.ssoLink',
      outcome: 'succeeded',
      actorId: user.id,
      actorEmail: user.email,
      ip: client.ip,
      subject: 'User',
      subjectId: user.id,
      detail,
    });
  }

  /** Stored, and known to authorization on every replica from the next request. */
  private async saved(user: User): Promise<User> {
    const stored = await this.users.save(user);
    await this.directory.changed();
    return stored;
  }
}
