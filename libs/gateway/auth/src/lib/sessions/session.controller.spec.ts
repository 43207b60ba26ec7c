import { startAuthHttpTestApp, type AuthHttpTestApp } from '../testing/auth-http-test-app';
import { SessionController } from './session.controller';

describe(SessionController.name, () => {
  let t: AuthHttpTestApp;

  beforeAll(async () => {
    t = await startAuthHttpTestApp([{ id: 'u-1', email: 'owner@example.com', password: 'owner password' }]);
  });

  afterAll(() => t.close());

  async function signIn(): Promise<string> {
    const response = await t.post('/api/auth/login', { email: 'owner@example.com', password: 'owner password' });
    expect(response.statusCode).toBe(200);
    return response.json<{ refreshToken: string }>().refreshToken;
  }

  const refresh = (refreshToken: unknown) => t.post('/api/auth/refresh', { refreshToken });
  const logout = (refreshToken: unknown) => t.post('/api/auth/logout', { refreshToken });

  it('rotates on refresh, refuses the spent token and with it the whole session', async () => {
    const first = await signIn();
    const refreshed = await refresh(first);
    expect(refreshed.statusCode).toBe(200);
    const body = refreshed.json();
    expect(body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      refreshExpiresIn: expect.any(Number),
    });
    // The session's end (7 days after the sign-in, a moment ago) cuts the refresh token's 30 days short.
    expect(body.refreshExpiresIn).toBeGreaterThan(604_000);
    expect(body.refreshExpiresIn).toBeLessThanOrEqual(604_800);

    const replayed = await refresh(first);
    expect([replayed.statusCode, replayed.json().error]).toEqual([401, 'refresh_token_reused']);
    const second = await refresh(body.refreshToken);
    expect([second.statusCode, second.json()]).toEqual([
      401,
      {
        statusCode: 401,
        error: 'refresh_token_revoked',
        message: 'The refresh token has been revoked: sign in again (POST /api/auth/login).',
      },
    ]);
  });

  it('signs out with 204, after which the refresh token is refused', async () => {
    const token = await signIn();
    const response = await logout(token);
    expect([response.statusCode, response.body]).toEqual([204, '']);
    expect((await refresh(token)).statusCode).toBe(401);
  });

  it('refuses a token it never issued with 401 on both routes', async () => {
    const expected = { statusCode: 401, error: 'invalid_refresh_token' };
    for (const response of [await refresh('x'.repeat(43)), await logout('x'.repeat(43))]) {
      expect([response.statusCode, response.json()]).toEqual([401, expect.objectContaining(expected)]);
    }
  });

  it.each([
    [{}, 'refreshToken must be a string.'],
    [{ refreshToken: '' }, 'refreshToken is required.'],
    [{ refreshToken: 'x'.repeat(257) }, 'refreshToken must be at most 256 characters.'],
    ['"token"', 'Send a JSON object with refreshToken.'],
  ])('answers 400 for %j', async (payload, message) => {
    const response = await t.post('/api/auth/refresh', payload);
    expect([response.statusCode, response.json()]).toEqual([
      400,
      { statusCode: 400, error: 'invalid_request', message },
    ]);
  });
});
