import {
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import Redis from 'ioredis';
import { InvalidationBus, LocalInvalidationBus, RedisInvalidationBus } from './invalidation-bus';
import { RedisReachability } from './redis-reachability';

/** The shared Redis connection, or null when the gateway runs on in-process state. */
export const REDIS = Symbol('REDIS');

export function createRedis(url: string, name: string): Redis {
  const redis = new Redis(url, { connectionName: name, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const logger = new Logger('Redis');
  // Without a listener ioredis reports each reconnect attempt as an unhandled error. One line per
  // outage, not one per attempt: reconnects are tried every few hundred milliseconds.
  let reported = false;
  redis.on('error', (error) => {
    if (reported) return;
    reported = true;
    logger.warn(`${name}: ${error.message} (reconnecting)`);
  });
  redis.on('ready', () => {
    if (reported) logger.log(`${name}: connected again`);
    reported = false;
  });
  return redis;
}

@Injectable()
class ClusterCloser implements OnApplicationShutdown {
  constructor(
    private readonly bus: InvalidationBus,
    @Optional() @Inject(REDIS) private readonly redis: Redis | null,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/** State shared by replicas: Redis when `redisUrl` is given, in-process otherwise. */
@Module({})
export class ClusterModule {
  static forRoot(options: { redisUrl?: string }): DynamicModule {
    const { redisUrl } = options;
    return {
      module: ClusterModule,
      global: true,
      providers: [
        { provide: REDIS, useFactory: () => (redisUrl ? createRedis(redisUrl, 'synapse') : null) },
        {
          provide: RedisReachability,
          inject: [REDIS],
          useFactory: (redis: Redis | null) => (redis ? new RedisReachability(redis) : null),
        },
        {
          provide: InvalidationBus,
          inject: [REDIS],
          useFactory: (redis: Redis | null) =>
            redis && redisUrl
              ? RedisInvalidationBus.connect(redis, createRedis(redisUrl, 'synapse-subscriber'))
              : new LocalInvalidationBus(),
        },
        ClusterCloser,
      ],
      exports: [REDIS, RedisReachability, InvalidationBus],
    };
  }
}
