import { describeWithRedis, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { LocalInvalidationBus, RedisInvalidationBus } from './invalidation-bus';

describe(LocalInvalidationBus.name, () => {
  it('delivers a topic to its subscribers only', async () => {
    const bus = new LocalInvalidationBus();
    const heard: string[] = [];
    bus.subscribe('catalog', () => heard.push('catalog'));
    await bus.publish('catalog');
    expect(heard).toEqual(['catalog']);
    await bus.close();
    await bus.publish('catalog');
    expect(heard).toHaveLength(1);
  });
});

describeWithRedis(RedisInvalidationBus.name, () => {
  it('tells every replica, the publisher included', async () => {
    const connections = Array.from({ length: 4 }, () => new Redis(REDIS_URL));
    const replicaA = await RedisInvalidationBus.connect(connections[0], connections[1]);
    const replicaB = await RedisInvalidationBus.connect(connections[2], connections[3]);
    const heard: string[] = [];
    const both = new Promise<void>((resolve) => {
      const hear = (who: string) => (message: string) => {
        heard.push(`${who}:${message}`);
        if (heard.length === 2) resolve();
      };
      replicaA.subscribe('catalog', hear('a'));
      replicaB.subscribe('catalog', hear('b'));
    });
    await replicaA.publish('catalog', 'x|y');
    await both;
    expect(heard.sort()).toEqual(['a:x|y', 'b:x|y']);
    await replicaA.close();
    await replicaB.close();
    connections[0].disconnect();
    connections[2].disconnect();
  });
});
