import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { RequestLogEntry } from '@synapse/gateway/persistence';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { RequestLogTail, TailRelay } from './request-log-tail';

const CHANNEL = 'synapse:live:tail';
const LISTENERS_KEY = 'synapse:live:tail:listeners';
/** How often listening is announced and read, and how long an announcement lasts. */
const ANNOUNCE_MS = 1_000;
const LISTENING_TTL_MS = 5_000;
/** Entries for other replicas go out in one PUBLISH this often (never one per call). */
const SEND_MS = 200;
/** Entries held for one PUBLISH at most; past this the oldest are dropped (a tail is not a log). */
const MAX_BATCH = 2_000;

/**
 * The request log tail across replicas, through Redis. A replica with tail subscribers announces
 * it in a hash (field per replica, value: until when) every second and subscribes to one pub/sub
 * channel; every replica reads the hash once a second and, while another replica listens, sends its
 * entries there in batches. A replica's own entries reach its own subscribers directly.
 */
export class RedisTailRelay implements TailRelay, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LiveMetrics');
  private readonly replicaId = randomUUID();
  private subscriber: Redis | undefined;
  private batch: RequestLogEntry[] = [];
  private timers: NodeJS.Timeout[] = [];
  remoteListening = false;

  constructor(
    private readonly redis: Redis,
    private readonly tail: RequestLogTail,
  ) {}

  onModuleInit(): void {
    this.tail.useRelay(this);
    this.timers = [setInterval(() => void this.announce(), ANNOUNCE_MS), setInterval(() => void this.flush(), SEND_MS)];
    for (const timer of this.timers) timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.flush();
    await this.redis.hdel(LISTENERS_KEY, this.replicaId).catch(() => undefined);
    this.subscriber?.disconnect();
  }

  send(entry: RequestLogEntry): void {
    this.batch.push(entry);
    if (this.batch.length > MAX_BATCH) this.batch.shift();
  }

  /** Says whether this replica listens, and learns whether another does. */
  async announce(): Promise<void> {
    const now = Date.now();
    try {
      const listening = this.tail.subscriberCount > 0;
      if (listening) {
        await this.listen();
        await this.redis.hset(LISTENERS_KEY, this.replicaId, String(now + LISTENING_TTL_MS));
        await this.redis.pexpire(LISTENERS_KEY, 10 * LISTENING_TTL_MS);
      } else {
        await this.redis.hdel(LISTENERS_KEY, this.replicaId);
      }
      const listeners = await this.redis.hgetall(LISTENERS_KEY);
      const remote = Object.entries(listeners).some(([id, until]) => id !== this.replicaId && Number(until) > now);
      if (remote !== this.remoteListening) {
        this.remoteListening = remote;
        this.tail.refresh();
      }
    } catch (error) {
      this.logger.warn(`request log tail not shared: ${(error as Error).message}`);
    }
  }

  private async listen(): Promise<void> {
    if (this.subscriber) return;
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.logger.warn(`tail subscriber: ${error.message}`));
    subscriber.on('message', (_channel: string, text: string) => this.receive(text));
    await subscriber.subscribe(CHANNEL);
  }

  private receive(text: string): void {
    let message: { from: string; entries: RequestLogEntry[] };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.from === this.replicaId || !Array.isArray(message.entries)) return;
    for (const entry of message.entries) this.tail.deliver({ ...entry, createdAt: new Date(entry.createdAt) });
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const entries = this.batch;
    this.batch = [];
    try {
      await this.redis.publish(CHANNEL, JSON.stringify({ from: this.replicaId, entries }));
    } catch (error) {
      this.logger.warn(`request log tail not sent: ${(error as Error).message}`);
    }
  }
}
