import { AuditTrail } from '@synapse/gateway/audit';
import type { OidcSettings } from '@synapse/gateway/config';
import type { User } from '@synapse/gateway/persistence';
import {
  InMemoryAuditEventRepository,
  InMemoryRefreshTokenRepository,
  InMemoryUserRepository,
} from '@synapse/gateway/persistence/testing';
import { AccessDirectory } from '../access/access-directory';
import { AuthFailureLog } from '../login/auth-failure-log';
import { InProcessSessionRevocations } from '../sessions/session-revocations';
import { openAccessTestStore, type AccessTestStore } from '../testing/access-test-store';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { OidcFailure } from './oidc-failure';
import type { OidcIdentity } from './oidc-identity';
import { OidcSignInService } from './oidc-sign-in.service';

const ISSUER = 'https://id.example.com';
const CLIENT = { ip: '198.51.100.7', userAgent: null };
const SETTINGS: OidcSettings = {
  issuer: ISSUER,
  clientId: 'synapse',
  redirectUri: 'https://gw.example.com/api/auth/oidc/callback',
  scopes: 'openid email profile',
  displayName: 'SSO',
  roleMap: {},
  defaultRole: 'member',
  syncRole: false,
  allowSignup: true,
  trustedEmailIssuers: [],
  linkOwner: false,
  consoleUrl: 'https://console.example.com',
  secureCookie: true,
};

describe(OidcSignInService.name, () => {
  let access: AccessTestStore;
  let users: InMemoryUserRepository;
  let events: InMemoryAuditEventRepository;
  let audit: AuditTrail;

  beforeAll(async () => (access = await openAccessTestStore()));
  afterAll(() => access.close());

  beforeEach(async () => {
    users = new InMemoryUserRepository();
    events = new InMemoryAuditEventRepository();
    audit = new AuditTrail(events);
    const now = new Date();
    const account = (id: string, email: string, role: string): User => ({
      id,
      email,
      name: null,
      role,
      passwordHash: '$argon2id$stored',
      createdAt: now,
      updatedAt: now,
    });
    await users.save(account('owner-1', 'owner@example.com', 'owner'));
    await users.save(account('member-1', 'member@example.com', 'member'));
  });

  const service = (settings: Partial<OidcSettings> = {}) =>
    new OidcSignInService(
      { ...SETTINGS, ...settings },
      null as never, // the provider client: complete() does not talk to the provider
      null as never, // the state cookie: complete() does not read it
      users,
      null as never, // the access-token signer: complete() issues only the one-time code
      new RefreshTokens(new InMemoryRefreshTokenRepository(), new InProcessSessionRevocations()),
      new AuthFailureLog(audit),
      new AccessDirectory(users, access.teams, access.roles, access.bus),
      audit,
    );

  const identity = (overrides: Partial<OidcIdentity> = {}): OidcIdentity => ({
    issuer: ISSUER,
    sub: 'sub-1',
    email: 'member@example.com',
    emailVerified: true,
    name: null,
    role: 'member',
    ...overrides,
  });

  const refusal = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof OidcFailure) return { code: error.code, accountId: error.accountId };
      throw error;
    }
    return 'signed in';
  };

  const linkEvents = async () =>
    (await audit.find({ action: 'auth.ssoLink', limit: 10 })).map(({ outcome, subjectId, detail }) => ({
      outcome,
      subjectId,
      detail,
    }));

  it('links a verified identity to the existing account of its email, once, and audits the link', async () => {
    await service().complete(identity(), CLIENT);
    expect(await users.findById('member-1')).toMatchObject({ ssoIssuer: ISSUER, ssoSubject: 'sub-1' });
    // Signed in again through the link: no second link event.
    await service().complete(identity(), CLIENT);
    expect(await linkEvents()).toEqual([
      {
        outcome: 'succeeded',
        subjectId: 'member-1',
        detail: `linked subject sub-1 of ${ISSUER} by its verified email`,
      },
    ]);
  });

  it('uses no unverified email to find, link or create an account', async () => {
    const unverified = identity({ emailVerified: false });
    expect(await refusal(service().complete(unverified, CLIENT))).toEqual({
      code: 'email_not_verified',
      accountId: undefined,
    });
    expect(await refusal(service().complete({ ...unverified, email: 'new@example.com' }, CLIENT))).toMatchObject({
      code: 'email_not_verified',
    });
    expect((await users.findById('member-1'))?.ssoSubject ?? null).toBeNull();
    expect(await users.findByEmail('new@example.com')).toBeNull();
  });

  it('lets an identity linked before sign in whatever its email now says', async () => {
    await service().complete(identity(), CLIENT);
    const url = await service().complete(identity({ emailVerified: false, email: 'changed@example.com' }), CLIENT);
    expect(url).toMatch(/#code=/);
  });

  it('refuses to link an owner account unless OIDC_LINK_OWNER allows it (the refusal names the account)', async () => {
    const owner = identity({ sub: 'sub-owner', email: 'owner@example.com' });
    expect(await refusal(service().complete(owner, CLIENT))).toEqual({
      code: 'owner_link_refused',
      accountId: 'owner-1',
    });
    expect((await users.findById('owner-1'))?.ssoSubject ?? null).toBeNull();
    await service({ linkOwner: true }).complete(owner, CLIENT);
    expect(await users.findById('owner-1')).toMatchObject({ role: 'owner', ssoSubject: 'sub-owner' });
    // The refusal is audited where every refused sign-in is (OidcRedirectFilter, e2e); the link here.
    expect(await linkEvents()).toEqual([expect.objectContaining({ outcome: 'succeeded', subjectId: 'owner-1' })]);
  });

  it('creates a new account already linked to the identity', async () => {
    await service().complete(identity({ sub: 'sub-new', email: 'new@example.com' }), CLIENT);
    expect(await users.findByEmail('new@example.com')).toMatchObject({
      role: 'member',
      passwordHash: null,
      ssoIssuer: ISSUER,
      ssoSubject: 'sub-new',
    });
    expect(await linkEvents()).toEqual([]);
  });

  it('never lets another identity with the same verified email take over a linked account', async () => {
    await service().complete(identity(), CLIENT);
    const refused = await service()
      .complete(identity({ sub: 'sub-2' }), CLIENT)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'already_linked' });
    expect((await users.findById('member-1'))?.ssoSubject).toBe('sub-1');
  });
});
