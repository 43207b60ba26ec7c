import { JwtService } from '@nestjs/jwt';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from './access-token';
import { BearerTokenPrecheck } from './bearer-token-precheck';

const KEY = Buffer.alloc(32, 7);
const jwt = new JwtService({
  secret: KEY,
  signOptions: { algorithm: 'HS256', expiresIn: 60, issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE },
  verifyOptions: { algorithms: ['HS256'], issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE },
});
const claims = { sub: 'u1', email: 'ops@example.com', role: 'admin' };

describe(BearerTokenPrecheck.name, () => {
  const precheck = new BearerTokenPrecheck(jwt);

  it('accepts a token signed with the key for the admin audience', () => {
    expect(precheck.failure(`Bearer ${jwt.sign(claims)}`)).toBeUndefined();
    expect(precheck.failure(`bearer  ${jwt.sign(claims)}`)).toBeUndefined();
  });

  it('says why it refuses the others', () => {
    expect(precheck.failure(undefined)).toBe('missing_token');
    expect(precheck.failure('')).toBe('missing_token');
    expect(precheck.failure(`Basic ${jwt.sign(claims)}`)).toBe('invalid_token');
    expect(precheck.failure('Bearer not-a-token')).toBe('invalid_token');
    expect(precheck.failure(`Bearer ${jwt.sign(claims, { secret: Buffer.alloc(32, 8) })}`)).toBe('invalid_token');
    expect(precheck.failure(`Bearer ${jwt.sign(claims, { audience: 'someone-else' })}`)).toBe('invalid_token');
    expect(precheck.failure(`Bearer ${jwt.sign(claims, { expiresIn: -10 })}`)).toBe('expired_token');
  });
});
