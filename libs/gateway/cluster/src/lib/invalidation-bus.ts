import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';

/**
 * `catalog`: stored keys, channels or routes changed. `routing`: a target's state changed. `access`:
 * users, their roles or teams, or custom roles changed. `prices`: runtime model prices changed.
 * `dify-stop`: a Dify task was told to stop, for the replica that serves its stream.
 */
export type InvalidationTopic = 'catalog' | 'routing' | 'access' | 'prices' | 'dify-stop';
type Listener = (message: string) => void;

/**
 * Tells every replica that shared state changed. In a single process it is an event emitter;
 * with Redis each replica subscribes to one channel and acts on what the message names.
 */
export abstract class InvalidationBus {
  abstract publish(topic: InvalidationTopic, message?: string): Promise<void>;
  abstract subscribe(topic: InvalidationTopic, listener: Listener): void;
  abstract close(): Promise<void>;
}

export class LocalInvalidationBus extends InvalidationBus {
  private readonly emitter = new EventEmitter();

  async publish(topic: InvalidationTopic, message = ''): Promise<void> {
    this.emitter.emit(topic, message);
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
    subscriber.on('message', (_channel: string, payload: string) => {
      const split = payload.indexOf('|');
      const topic = (split < 0 ? payload : payload.slice(0, split)) as InvalidationTopic;
      void this.local.publish(topic, split < 0 ? '' : payload.slice(split + 1));
    });
  }

  /** `subscriber` must be a connection of its own: Redis reserves a subscribed connection. */
  static async connect(publisher: Redis, subscriber: Redis): Promise<RedisInvalidationBus> {
    const bus = new RedisInvalidationBus(publisher, subscriber);
    await subscriber.subscribe(CHANNEL);
    return bus;
  }

  /** Every replica, this one included, hears the message through Redis. */
  async publish(topic: InvalidationTopic, message = ''): Promise<void> {
    await this.publisher.publish(CHANNEL, `${topic}|${message}`);
  }
  subscribe(topic: InvalidationTopic, listener: Listener): void {
    this.local.subscribe(topic, listener);
  }
  async close(): Promise<void> {
    await this.local.close();
    this.subscriber.disconnect();
  }
}
