import { accessToken, graphql } from './support/admin-session';
import { freePort, removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import { browse, startOidcProvider, type OidcTestProvider } from './support/oidc-provider';
import { sqliteRows } from './support/sqlite-rows';

const CONSOLE = 'http://console.example.test';
const OWNER = 'owner@example.com';
const OWNER_PASSWORD = 'e2e-owner-password';
const VICTIM = 'victim@example.com';

/**
 * Accounts at the provider. Whoever registers there may type any email into the profile; a
 * provider that does not check it says so by leaving `email_verified` out (or false).
 */
const USERS = {
  // Claims the gateway owner's address, verified: the provider vouches for it, but an owner is
  // not handed to whoever holds the address at the provider unless OIDC_LINK_OWNER says so.
  'owner-claimer': { email: OWNER, email_verified: true, groups: ['synapse-members'] },
  // Claims an existing account's address without the provider having checked it.
  'victim-claimer': { email: VICTIM, groups: ['synapse-members'] },
  'new-unverified': { email: 'newcomer@example.com', groups: ['synapse-members'] },
  // The real holder of the address, verified by the provider.
  victim: { email: VICTIM, email_verified: true, groups: ['synapse-members'] },
};

/** Security review #11, item 5: single sign-on must not hand over existing accounts by an email it cannot trust. */
describe('single sign-on linking to existing accounts', () => {
  let provider: OidcTestProvider;
  let gateway: GatewayProcess;
  let dataDir: string;
  let port: number;

  const start = async (env: Record<string, string> = {}) => {
    gateway = await startGateway({
      port,
      dataDir,
      config: `users:\n  - email: ${VICTIM}\n    role: admin\n    password: "victim-password-1"\n`,
      env: {
        ADMIN_EMAIL: OWNER,
        ADMIN_PASSWORD: OWNER_PASSWORD,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        CONSOLE_URL: CONSOLE,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: 'synapsehub',
        OIDC_CLIENT_SECRET: 'e2e-oidc-client-secret',
        OIDC_SCOPES: 'openid email profile groups',
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_ROLE_MAP: 'synapse-members=member',
        HEALTH_CHECK_INTERVAL_MS: '0',
        ...env,
      },
    });
  };

  beforeAll(async () => {
    port = await freePort();
    provider = await startOidcProvider(USERS, {
      client_id: 'synapsehub',
      client_secret: 'e2e-oidc-client-secret',
      redirect_uris: [`http://127.0.0.1:${port}/api/auth/oidc/callback`],
    });
    dataDir = tempDir();
    await start();
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await provider?.stop();
    removeDir(dataDir);
  });

  const signIn = (login: string) => browse(`${gateway.url}/api/auth/oidc/login`, CONSOLE, login);

  const links = () =>
    sqliteRows<{ email: string; role: string; sso_subject: string | null }>(
      dataDir,
      'SELECT email, role, sso_subject FROM users ORDER BY email',
    );

  const linkEvents = async () => {
    const owner = await accessToken(gateway.url, OWNER, OWNER_PASSWORD);
    const body = await graphql(
      gateway.url,
      '{ auditEvents(action: "auth.ssoLink") { outcome actorEmail subject subjectId detail } }',
      owner,
    );
    return body.data?.['auditEvents'] as Record<string, unknown>[];
  };

  const idOf = (email: string) =>
    sqliteRows<{ id: string }>(dataDir, `SELECT id FROM users WHERE email = '${email}'`)[0]?.id;

  it('refuses to link an identity to the owner account by its email, and audits the refusal', async () => {
    expect(await signIn('owner-claimer')).toBe(`${CONSOLE}/login?error=owner_link_refused`);
    expect(links().find((u) => u.email === OWNER)).toEqual({ email: OWNER, role: 'owner', sso_subject: null });
    expect(await linkEvents()).toContainEqual({
      outcome: 'failed',
      actorEmail: OWNER,
      subject: 'User',
      subjectId: idOf(OWNER),
      detail: 'owner_link_refused: the account is an owner and OIDC_LINK_OWNER is false',
    });
  });

  it('refuses an email the provider does not say is verified, for an existing account and for a new one', async () => {
    expect(await signIn('victim-claimer')).toBe(`${CONSOLE}/login?error=email_not_verified`);
    expect(await signIn('new-unverified')).toBe(`${CONSOLE}/login?error=email_not_verified`);
    expect(links()).toEqual([
      { email: OWNER, role: 'owner', sso_subject: null },
      { email: VICTIM, role: 'admin', sso_subject: null },
    ]);
    expect(gateway.output()).toMatch(
      /sso sign-in failed for v\*\*\*@example.com from .* \(email_not_verified: no email_verified claim, and OIDC_TRUSTED_EMAIL_ISSUERS does not list the issuer\)/,
    );
  });

  it('links the verified holder of the address once, audited, and signs it in by its subject afterwards', async () => {
    const consoleUrl = await signIn('victim');
    expect(consoleUrl).toMatch(/#code=/);
    expect(links().find((u) => u.email === VICTIM)).toEqual({ email: VICTIM, role: 'admin', sso_subject: 'victim' });
    expect(await signIn('victim')).toMatch(/#code=/);
    const events = (await linkEvents()).filter((e) => e['outcome'] === 'succeeded');
    expect(events).toEqual([
      {
        outcome: 'succeeded',
        actorEmail: VICTIM,
        subject: 'User',
        subjectId: idOf(VICTIM),
        detail: `linked subject victim of ${provider.issuer} by its verified email`,
      },
    ]);
    expect(gateway.output()).toContain(
      `sso identity linked to the existing account v***@example.com (${idOf(VICTIM)})`,
    );
  });

  it('trusts an unlisted flag only for an issuer in OIDC_TRUSTED_EMAIL_ISSUERS, and links an owner only with OIDC_LINK_OWNER', async () => {
    await gateway.stop();
    await start({ OIDC_TRUSTED_EMAIL_ISSUERS: provider.issuer, OIDC_LINK_OWNER: 'true' });
    expect(await signIn('new-unverified')).toMatch(/#code=/);
    expect(await signIn('owner-claimer')).toMatch(/#code=/);
    expect(links()).toEqual([
      { email: 'newcomer@example.com', role: 'member', sso_subject: 'new-unverified' },
      { email: OWNER, role: 'owner', sso_subject: 'owner-claimer' },
      { email: VICTIM, role: 'admin', sso_subject: 'victim' },
    ]);
    expect(await linkEvents()).toContainEqual(
      expect.objectContaining({ outcome: 'succeeded', actorEmail: OWNER, subjectId: idOf(OWNER) }),
    );
  });
});
