import type { FactoryProvider } from '@nestjs/common';
import { REDIS } from '@synapse/gateway/cluster';
import { RefreshTokenRepository } from '@synapse/gateway/persistence';
import type Redis from 'ioredis';
import { RedisSessionRevocations } from './redis-session-revocations';
import { InProcessSessionRevocations, REVOCATION_TTL_SECONDS, SessionRevocations } from './session-revocations';

/**
 * Redis when the gateway has it (a sign-out counts on every replica), in process otherwise. The
 * in-process list starts with the sessions the store says ended recently, so that a restart does
 * not bring back the access tokens of a session signed out just before it.
 */
export const sessionRevocationsProvider: FactoryProvider<SessionRevocations> = {
  provide: SessionRevocations,
  inject: [{ token: REDIS, optional: true }, RefreshTokenRepository],
  useFactory: async (redis: Redis | null | undefined, refreshTokens: RefreshTokenRepository) => {
    if (redis) return new RedisSessionRevocations(redis);
    const revocations = new InProcessSessionRevocations();
    await revocations.restore(refreshTokens, new Date(Date.now() - REVOCATION_TTL_SECONDS * 1000));
    return revocations;
  },
};
