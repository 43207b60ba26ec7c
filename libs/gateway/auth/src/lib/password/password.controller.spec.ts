import { JwtService } from '@nestjs/jwt';
import { startAuthHttpTestApp, type AuthHttpTestApp } from '../testing/auth-http-test-app';
import { PasswordController } from './password.controller';

const EMAIL = 'owner@example.com';
const OLD = 'owner password';
const NEW = 'a much longer password';

describe(PasswordController.name, () => {
  let t: AuthHttpTestApp;

  beforeAll(async () => {
    t = await startAuthHttpTestApp([{ id: 'u-1', email: EMAIL, password: OLD }]);
  });

  afterAll(() => t.close());

  async function signIn(password: string): Promise<{ accessToken: string; refreshToken: string }> {
    const response = await t.post('/api/auth/login', { email: EMAIL, password });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  const change = (body: unknown, token?: string) =>
    t.post('/api/auth/password', body, token ? { authorization: `Bearer ${token}` } : {});

  it.each([
    [undefined, 'missing_token'],
    ['not.a.jwt', 'invalid_token'],
  ])('answers 401 without a valid access token (%s)', async (token, error) => {
    const response = await change({ currentPassword: OLD, newPassword: NEW }, token);
    expect([response.statusCode, response.json()]).toEqual([401, expect.objectContaining({ statusCode: 401, error })]);
  });

  it('answers 401 for an expired access token, telling to refresh it', async () => {
    const expired = await t.app
      .get(JwtService)
      .signAsync({ sub: 'u-1', email: EMAIL, role: 'owner' }, { expiresIn: -60 });
    const response = await change({ currentPassword: OLD, newPassword: NEW }, expired);
    expect([response.statusCode, response.json()]).toEqual([
      401,
      {
        statusCode: 401,
        error: 'token_expired',
        message: 'The access token has expired: refresh it (POST /api/auth/refresh).',
      },
    ]);
  });

  it.each([
    [{ currentPassword: OLD, newPassword: 'too short' }, 'newPassword must be at least 12 characters.'],
    [{ newPassword: NEW }, 'currentPassword must be a string.'],
    [{ currentPassword: OLD }, 'newPassword must be a string.'],
    [[OLD, NEW], 'Send a JSON object with currentPassword and newPassword.'],
  ])('answers 400 for %j', async (payload, message) => {
    const { accessToken } = await signIn(OLD);
    const response = await change(payload, accessToken);
    expect([response.statusCode, response.json()]).toEqual([
      400,
      { statusCode: 400, error: 'invalid_request', message },
    ]);
  });

  it('answers 401 for a wrong current password', async () => {
    const { accessToken } = await signIn(OLD);
    const response = await change({ currentPassword: 'not it', newPassword: NEW }, accessToken);
    expect([response.statusCode, response.json()]).toEqual([
      401,
      { statusCode: 401, error: 'invalid_credentials', message: 'The current password is incorrect.' },
    ]);
  });

  it('changes the password with 204: the old one stops working, the new one works, sessions end', async () => {
    const { accessToken, refreshToken } = await signIn(OLD);
    const response = await change({ currentPassword: OLD, newPassword: NEW }, accessToken);
    expect([response.statusCode, response.body]).toEqual([204, '']);
    expect((await t.post('/api/auth/login', { email: EMAIL, password: OLD })).statusCode).toBe(401);
    await signIn(NEW);
    const refreshed = await t.post('/api/auth/refresh', { refreshToken });
    expect([refreshed.statusCode, refreshed.json().error]).toEqual([401, 'refresh_token_revoked']);
  });
});
