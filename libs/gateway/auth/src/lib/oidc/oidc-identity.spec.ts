import { mapRole, oidcIdentity } from './oidc-identity';
import { OidcFailure } from './oidc-failure';

const ROLES = {
  roleClaim: 'groups',
  roleMap: { 'synapse-admins': 'admin', 'synapse-ops': 'operator', 'synapse-owners': 'owner' },
  defaultRole: 'member',
  trustedEmailIssuers: [],
} as const;
const ISSUER = 'https://id.example.com';

describe(mapRole.name, () => {
  it('takes the strongest mapped role, whatever the order of the values', () => {
    expect(mapRole({ groups: ['staff', 'synapse-ops', 'synapse-admins'] }, ROLES)).toBe('admin');
    expect(mapRole({ groups: 'synapse-ops' }, ROLES)).toBe('operator');
  });

  it('gives the default role, or none, to values the map does not name', () => {
    expect(mapRole({ groups: ['staff'] }, ROLES)).toBe('member');
    expect(mapRole({}, { ...ROLES, defaultRole: null })).toBeNull();
    expect(mapRole({ groups: ['toString', 'constructor'] }, { ...ROLES, defaultRole: null })).toBeNull();
  });

  it('reads a dotted path into nested claims, or a claim whose name has dots', () => {
    const settings = { ...ROLES, roleClaim: 'realm_access.roles' };
    expect(mapRole({ realm_access: { roles: ['synapse-owners'] } }, settings)).toBe('owner');
    expect(mapRole({ 'realm_access.roles': ['synapse-ops'] }, settings)).toBe('operator');
  });
});

describe(oidcIdentity.name, () => {
  const failure = (claims: Record<string, unknown>) => {
    try {
      oidcIdentity(claims, ROLES);
    } catch (error) {
      return (error as OidcFailure).code;
    }
    return 'accepted';
  };

  it('lowercases the email and keeps a name', () => {
    const claims = { iss: ISSUER, sub: 's', email: 'Ada@Example.com', name: ' Ada ', email_verified: true };
    expect(oidcIdentity(claims, ROLES)).toEqual({
      issuer: ISSUER,
      sub: 's',
      email: 'ada@example.com',
      emailVerified: true,
      name: 'Ada',
      role: 'member',
    });
  });

  it('counts an email as verified only with email_verified, or without it from a trusted issuer', () => {
    const verified = (claims: Record<string, unknown>, trusted: readonly string[] = []) =>
      oidcIdentity(
        { iss: ISSUER, sub: 's', email: 'a@example.com', ...claims },
        { ...ROLES, trustedEmailIssuers: trusted },
      ).emailVerified;
    expect(verified({ email_verified: true })).toBe(true);
    expect(verified({ email_verified: 'true' })).toBe(true);
    expect(verified({})).toBe(false);
    expect(verified({}, [ISSUER])).toBe(true);
    expect(verified({}, ['https://other.example.com'])).toBe(false);
  });

  it('requires an email, verified when the provider says whether it is', () => {
    expect(failure({ sub: 's' })).toBe('email_missing');
    expect(failure({ sub: 's', email: 'not an email' })).toBe('email_missing');
    expect(failure({ sub: 's', email: 'a@example.com', email_verified: false })).toBe('email_not_verified');
    expect(failure({ sub: 's', email: 'a@example.com', email_verified: 'true' })).toBe('accepted');
    expect(failure({ sub: 's', email: 'a@example.com' })).toBe('accepted');
  });
});
