import { loadEnv } from './env';
import { oidcSettings } from './oidc-env';

const SSO = { OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'synapse' };

describe('oidcSettings', () => {
  it('is off without OIDC_ISSUER, whatever else is set', () => {
    expect(oidcSettings(loadEnv({ OIDC_CLIENT_ID: 'synapse', OIDC_ROLE_MAP: 'a=admin' }))).toBeNull();
  });

  it('applies defaults: callback and console on the public URL, member role, sign-up on, no role sync', () => {
    expect(oidcSettings(loadEnv({ ...SSO, PUBLIC_URL: 'https://gw.example.com/' }))).toEqual({
      issuer: 'https://id.example.com',
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
      consoleUrl: 'https://gw.example.com',
      secureCookie: true,
    });
    expect(oidcSettings(loadEnv({ ...SSO, PORT: '4000' }))).toMatchObject({
      redirectUri: 'http://localhost:4000/api/auth/oidc/callback',
      consoleUrl: 'http://localhost:4000',
      secureCookie: false,
    });
  });

  it('reads the role map, a role claim, a secret, none as the default role and the flags', () => {
    const settings = oidcSettings(
      loadEnv({
        ...SSO,
        OIDC_CLIENT_SECRET: 's3cret',
        OIDC_ROLE_CLAIM: 'realm_access.roles',
        OIDC_ROLE_MAP: ' synapse-admins=admin, team=ops=operator ,',
        OIDC_DEFAULT_ROLE: 'none',
        OIDC_SYNC_ROLE: 'true',
        OIDC_ALLOW_SIGNUP: 'false',
        CONSOLE_URL: 'http://localhost:3000',
      }),
    );
    expect(settings).toMatchObject({
      clientSecret: 's3cret',
      roleClaim: 'realm_access.roles',
      roleMap: { 'synapse-admins': 'admin', 'team=ops': 'operator' },
      defaultRole: null,
      syncRole: true,
      allowSignup: false,
      consoleUrl: 'http://localhost:3000',
    });
  });

  it('trusts unverified emails of no issuer, and links no owner account, unless told to', () => {
    const settings = oidcSettings(
      loadEnv({ ...SSO, OIDC_TRUSTED_EMAIL_ISSUERS: ' https://id.example.com ,', OIDC_LINK_OWNER: 'true' }),
    );
    expect(settings).toMatchObject({ trustedEmailIssuers: ['https://id.example.com'], linkOwner: true });
    expect(() => loadEnv({ ...SSO, OIDC_TRUSTED_EMAIL_ISSUERS: 'https://id.example.com/' })).toThrow(
      /OIDC_TRUSTED_EMAIL_ISSUERS: lists 'https:\/\/id.example.com\/', which is not OIDC_ISSUER/,
    );
    expect(() => loadEnv({ ...SSO, OIDC_TRUSTED_EMAIL_ISSUERS: 'not a url' })).toThrow(
      /OIDC_TRUSTED_EMAIL_ISSUERS\[0\]: must be an http\(s\) URL/,
    );
    expect(() => loadEnv({ ...SSO, OIDC_LINK_OWNER: 'yes' })).toThrow(/OIDC_LINK_OWNER: must be true or false/);
  });

  it('names every bad single sign-on variable', () => {
    const attempt = () =>
      loadEnv({
        OIDC_ISSUER: 'http://id.example.com',
        OIDC_ROLE_MAP: 'a=root,b=admin,b=member,=member',
        OIDC_DEFAULT_ROLE: 'owner',
        OIDC_SCOPES: 'email profile',
        OIDC_SYNC_ROLE: 'yes',
      });
    expect(attempt).toThrow(/OIDC_ISSUER: must be an https URL \(http only for localhost\)/);
    expect(attempt).toThrow(/OIDC_ROLE_MAP: 'root' \(for 'a'\) is not one of: owner, admin, operator, auditor, member/);
    expect(attempt).toThrow(/OIDC_ROLE_MAP: 'b' is mapped twice/);
    expect(attempt).toThrow(/OIDC_ROLE_MAP: '=member' is not claim-value=role/);
    expect(attempt).toThrow(/OIDC_DEFAULT_ROLE: must be one of: admin, operator, auditor, member, none/);
    expect(attempt).toThrow(/OIDC_SCOPES: must include 'openid'/);
    expect(attempt).toThrow(/OIDC_SYNC_ROLE: must be true or false/);
  });

  it('checks the variables that go together', () => {
    const attempt = () =>
      loadEnv({ OIDC_ISSUER: 'http://127.0.0.1:9000', OIDC_ROLE_MAP: 'a=admin', OIDC_DEFAULT_ROLE: 'none' });
    expect(attempt).toThrow(/OIDC_CLIENT_ID: is required when OIDC_ISSUER is set/);
    expect(attempt).toThrow(/OIDC_ROLE_CLAIM: is required when OIDC_ROLE_MAP is set/);
    expect(() => loadEnv({ ...SSO, OIDC_DEFAULT_ROLE: 'none' })).toThrow(
      /OIDC_DEFAULT_ROLE: is 'none' but OIDC_ROLE_MAP is empty/,
    );
  });

  it('never echoes the client secret in an error', () => {
    expect(() => loadEnv({ OIDC_ISSUER: 'nope', OIDC_CLIENT_SECRET: 'very-secret-value' })).not.toThrow(
      /very-secret-value/,
    );
  });
});
