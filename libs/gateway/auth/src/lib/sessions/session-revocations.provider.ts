import type { FactoryProvider } from '@nestjs/common';
import { REDIS } from '@synapse/gateway/cluster';
import type Redis from 'ioredis';
import { RedisSessionRevocations } from './redis-session-revocations';
import { InProcessSessionRevocations, SessionRevocations } from './session-revocations';

/** Redis when the gateway has it (a sign-out counts on every replica), in process otherwise. */
export const sessionRevocationsProvider: FactoryProvider<SessionRevocations> = {
  provide: SessionRevocations,
  inject: [{ token: REDIS, optional: true }],
  useFactory: (redis?: Redis | null) =>
    redis ? new RedisSessionRevocations(redis) : new InProcessSessionRevocations(),
};
