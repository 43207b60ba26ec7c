import { Global, Module } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { UserRepository } from '@synapse/gateway/persistence';
import { hashPassword } from '@synapse/gateway/provisioning';
import { GatewayExceptionFilter } from '@synapse/gateway/proxy';
import { AuthModule } from '../auth.module';
import { InMemoryUserRepository } from '../testing/in-memory-users';
import { LoginController } from './login.controller';

const users = new InMemoryUserRepository();

@Global()
@Module({
  providers: [
    { provide: UserRepository, useValue: users },
    { provide: SecretBox, useFactory: () => new SecretBox(deriveMasterKey('login-test-secret-0123456789abcdefgh')) },
  ],
  exports: [UserRepository, SecretBox],
})
class TestStoreModule {}

describe(LoginController.name, () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const now = new Date();
    await users.save({
      id: 'u-1',
      email: 'owner@example.com',
      name: 'Owner',
      role: 'owner',
      passwordHash: await hashPassword('owner password'),
      createdAt: now,
      updatedAt: now,
    });
    const moduleRef = await Test.createTestingModule({ imports: [TestStoreModule, AuthModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
      bodyParser: false,
    });
    app.useGlobalFilters(new GatewayExceptionFilter(1_000_000));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  const login = (payload: unknown, contentType = 'application/json') =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('answers 200 with a bearer JWT for the right credentials', async () => {
    const response = await login({ email: 'owner@example.com', password: 'owner password' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
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
