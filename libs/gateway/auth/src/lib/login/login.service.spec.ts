import { JwtService } from '@nestjs/jwt';
import { hashPassword } from '@synapse/gateway/provisioning';
import { GatewayError } from '@synapse/gateway/proxy';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokenClaims } from '../jwt/access-token';
import { InMemoryUserRepository } from '../testing/in-memory-users';
import { LoginService } from './login.service';

describe(LoginService.name, () => {
  const jwt = new JwtService({ secret: 'test-signing-key', signOptions: { expiresIn: ACCESS_TOKEN_TTL_SECONDS } });
  const users = new InMemoryUserRepository();
  let service: LoginService;

  beforeAll(async () => {
    const now = new Date();
    await users.save({
      id: 'u-1',
      email: 'ops@example.com',
      name: 'Ops',
      role: 'operator',
      passwordHash: await hashPassword('right password'),
      createdAt: now,
      updatedAt: now,
    });
    await users.save({
      id: 'u-2',
      email: 'sso@example.com',
      name: null,
      role: 'admin',
      passwordHash: null,
      createdAt: now,
      updatedAt: now,
    });
    service = new LoginService(users, jwt);
  });

  async function failure(email: string, password: string): Promise<GatewayError> {
    const error = await service.login(email, password).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }

  it('issues a 15-minute bearer token with the user id, email and role for the right password', async () => {
    const result = await service.login('OPS@example.com', 'right password');
    expect(result).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const claims = await jwt.verifyAsync<AccessTokenClaims & { exp: number; iat: number }>(result.accessToken);
    expect(claims).toMatchObject({ sub: 'u-1', email: 'ops@example.com', role: 'operator' });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('answers a wrong password, an unknown email and a password-less account with the same 401', async () => {
    const wrong = await failure('ops@example.com', 'wrong password');
    const unknown = await failure('nobody@example.com', 'right password');
    const passwordless = await failure('sso@example.com', 'anything');
    for (const error of [wrong, unknown, passwordless]) {
      expect({ status: error.status, code: error.code, message: error.message }).toEqual({
        status: 401,
        code: 'invalid_credentials',
        message: 'Incorrect email or password.',
      });
    }
  });

  it('spends about as long on an unknown email as on a wrong password (it verifies a dummy hash)', async () => {
    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      await failure(email, 'wrong password');
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    await time('nobody@example.com'); // warm up
    const wrong = Math.min(await time('ops@example.com'), await time('ops@example.com'));
    const unknown = Math.min(await time('nobody@example.com'), await time('nobody@example.com'));
    // Without the dummy verification the unknown email would answer in well under a millisecond.
    expect(unknown).toBeGreaterThan(wrong * 0.5);
  });
});
