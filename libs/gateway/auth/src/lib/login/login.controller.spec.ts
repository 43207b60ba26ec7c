import { startAuthHttpTestApp, type AuthHttpTestApp } from '../testing/auth-http-test-app';
import { LoginController } from './login.controller';

describe(LoginController.name, () => {
  let t: AuthHttpTestApp;

  beforeAll(async () => {
    t = await startAuthHttpTestApp([{ id: 'u-1', email: 'owner@example.com', password: 'owner password' }]);
  });

  afterAll(() => t.close());

  const login = (payload: unknown, ip?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      ...(ip && { remoteAddress: ip }),
    });

  it('answers 200 with a bearer JWT and a refresh token for the right credentials', async () => {
    const response = await login({ email: 'owner@example.com', password: 'owner password' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      refreshExpiresIn: 604_800,
    });
    const [header, payload] = (body.accessToken as string)
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'u-1', email: 'owner@example.com', role: 'owner' });
    expect(payload.exp - payload.iat).toBe(900);
  });

  it('answers a wrong password and an unknown email with the same 401 body', async () => {
    const wrong = await login({ email: 'owner@example.com', password: 'nope' });
    const unknown = await login({ email: 'ghost@example.com', password: 'owner password' });
    const expected = { statusCode: 401, error: 'invalid_credentials', message: 'Incorrect email or password.' };
    expect([wrong.statusCode, wrong.json()]).toEqual([401, expected]);
    expect([unknown.statusCode, unknown.json()]).toEqual([401, expected]);
  });

  it('answers 429 with Retry-After once the account is locked, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login({ email: 'locked@example.com', password: `guess ${i}` }, '203.0.113.5')).statusCode).toBe(
        401,
      );
    }
    const locked = await login({ email: 'LOCKED@example.com', password: 'owner password' }, '203.0.113.6');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.json()).toEqual({
      statusCode: 429,
      error: 'too_many_attempts',
      message: 'Too many failed sign-in attempts: try again in 15 minutes.',
    });
  });

  it.each([
    [{ password: 'x' }, 'email must be an email address.'],
    [{ email: 'not-an-email', password: 'x' }, 'email must be an email address.'],
    [{ email: 'owner@example.com' }, 'password must be a string.'],
    [{ email: 'owner@example.com', password: '' }, 'password is required.'],
    [{}, 'email must be an email address; password must be a string.'],
    [['owner@example.com', 'x'], 'Send a JSON object with email and password.'],
  ])('answers 400 with a clear message for %j', async (payload, message) => {
    const response = await login(payload);
    expect([response.statusCode, response.json()]).toEqual([
      400,
      { statusCode: 400, error: 'invalid_request', message },
    ]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await login('{"email":');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, message: 'The request body is not valid JSON.' });
  });
});
