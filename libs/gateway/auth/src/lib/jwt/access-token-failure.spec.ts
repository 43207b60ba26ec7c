import { accessTokenFailure } from './access-token-failure';
import { TOKEN_REVOKED } from './jwt.strategy';

describe(accessTokenFailure.name, () => {
  it('names why passport refused a token', () => {
    expect(accessTokenFailure(undefined, undefined)).toBe('missing_token');
    expect(accessTokenFailure('Bearer x', { name: 'TokenExpiredError' })).toBe('expired_token');
    expect(accessTokenFailure('Bearer x', { name: TOKEN_REVOKED })).toBe('revoked_token');
    expect(accessTokenFailure('Bearer x', { name: 'JsonWebTokenError' })).toBe('invalid_token');
    expect(accessTokenFailure('Bearer x', new Error('No auth token'))).toBe('invalid_token');
  });
});
