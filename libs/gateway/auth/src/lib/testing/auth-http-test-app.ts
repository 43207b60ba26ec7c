import { Global, Module, type DynamicModule } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { RefreshTokenRepository, UserRepository } from '@synapse/gateway/persistence';
import { InMemoryRefreshTokenRepository, InMemoryUserRepository } from '@synapse/gateway/persistence/testing';
import { hashPassword } from '../password/password-hashing';
import { GatewayExceptionFilter } from '@synapse/gateway/errors';
import type { LightMyRequestResponse } from 'fastify';
import { AuthModule } from '../auth.module';
import { openAccessTestStore, type AccessTestStore } from './access-test-store';

export interface AuthHttpTestApp {
  app: NestFastifyApplication;
  users: InMemoryUserRepository;
  refreshTokens: InMemoryRefreshTokenRepository;
  access: AccessTestStore;
  /** POSTs a JSON body (a string is sent as is) with optional headers. */
  post(url: string, payload: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** AuthModule on Fastify as the gateway runs it, over in-memory users and refresh tokens. */
export async function startAuthHttpTestApp(
  accounts: { id: string; email: string; password: string }[],
): Promise<AuthHttpTestApp> {
  const users = new InMemoryUserRepository();
  const refreshTokens = new InMemoryRefreshTokenRepository();
  const now = new Date();
  for (const account of accounts) {
    await users.save({
      id: account.id,
      email: account.email,
      name: null,
      role: 'owner',
      passwordHash: await hashPassword(account.password),
      createdAt: now,
      updatedAt: now,
    });
  }
  const access = await openAccessTestStore();
  const moduleRef = await Test.createTestingModule({
    imports: [storeModule(users, refreshTokens), access.module(), AuthModule],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
    bodyParser: false,
  });
  app.useGlobalFilters(new GatewayExceptionFilter(1_000_000));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    users,
    refreshTokens,
    access,
    post: (url, payload, headers = {}) =>
      app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', ...headers },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      }),
    close: async () => {
      await app.close();
      await access.close();
    },
  };
}

/** What the gateway's global persistence and provisioning modules provide. */
function storeModule(users: UserRepository, refreshTokens: RefreshTokenRepository): DynamicModule {
  @Global()
  @Module({})
  class TestStoreModule {}
  return {
    module: TestStoreModule,
    providers: [
      { provide: UserRepository, useValue: users },
      { provide: RefreshTokenRepository, useValue: refreshTokens },
      { provide: SecretBox, useFactory: () => new SecretBox(deriveMasterKey('auth-http-test-secret-0123456789abc')) },
    ],
    exports: [UserRepository, RefreshTokenRepository, SecretBox],
  };
}
