import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';

export type InvalidationTopic = 'catalog';
type Listener = () => void;

/**
 * Tells every replica that cached state is stale. In a single process it is an event emitter;
 * with Redis each replica subscribes to one channel and reloads what the message names.
 */
export abstract class InvalidationBus {
  abstract publish(topic: InvalidationTopic): Promise<void>;
  abstract subscribe(topic: InvalidationTopic, listener: Listener): void;
  abstract close(): Promise<void>;
}

export class LocalInvalidationBus extends InvalidationBus {
  private readonly emitter = new EventEmitter();

  async publish(topic: InvalidationTopic): Promise<void> {
    this.emitter.emit(topic);
  }
  subscribe(topic: InvalidationTopic, listener: Listener): void {
    this.emitter.on(topic, listener);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

const CHANNEL = 'synapse:invalidate';

export class RedisInvalidationBus extends InvalidationBus {
  private readonly local = new LocalInvalidationBus();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    super();
    subscriber.on('message', (_channel: string, topic: string) => void this.local.publish(topic as InvalidationTopic));
  }

  /** `subscriber` must be a connection of its own: Redis reserves a subscribed connection. */
  static async connect(publisher: Redis, subscriber: Redis): Promise<RedisInvalidationBus> {
    const bus = new RedisInvalidationBus(publisher, subscriber);
    await subscriber.subscribe(CHANNEL);
    return bus;
  }

  /** Every replica, this one included, hears the message through Redis. */
  async publish(topic: InvalidationTopic): Promise<void> {
    await this.publisher.publish(CHANNEL, topic);
  }
  subscribe(topic: InvalidationTopic, listener: Listener): void {
    this.local.subscribe(topic, listener);
  }
  async close(): Promise<void> {
    await this.local.close();
    this.subscriber.disconnect();
  }
}
