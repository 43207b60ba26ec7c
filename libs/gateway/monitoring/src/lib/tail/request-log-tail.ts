import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { RequestLogWriter } from '@synapse/gateway/proxy';
import { PushIterator } from './push-iterator';

/** Entries a subscriber may fall behind by before the oldest are dropped. */
const SUBSCRIBER_BUFFER = 1_000;

/**
 * The request log as it is written, for live tails: each subscriber gets the entries its `accept`
 * lets through. Entries are the writer's own objects: subscribers must copy what they change.
 * The writer is observed only while someone listens, so the tail costs nothing otherwise.
 */
@Injectable()
export class RequestLogTail implements OnApplicationShutdown {
  private readonly subscribers = new Set<PushIterator<RequestLogEntry> & { accept: (e: RequestLogEntry) => boolean }>();
  private stopObserving: (() => void) | undefined;

  constructor(private readonly writer: RequestLogWriter) {}

  onApplicationShutdown(): void {
    for (const subscriber of this.subscribers) subscriber.close();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Entries recorded from now on that `accept` lets through, until the iterator is closed. */
  subscribe(accept: (entry: RequestLogEntry) => boolean): PushIterator<RequestLogEntry> {
    const iterator = Object.assign(
      new PushIterator<RequestLogEntry>(SUBSCRIBER_BUFFER, () => {
        this.subscribers.delete(iterator);
        if (this.subscribers.size === 0) {
          this.stopObserving?.();
          this.stopObserving = undefined;
        }
      }),
      { accept },
    );
    this.subscribers.add(iterator);
    this.stopObserving ??= this.writer.observe((entry) => this.publish(entry));
    return iterator;
  }

  private publish(entry: RequestLogEntry): void {
    for (const subscriber of this.subscribers) if (subscriber.accept(entry)) subscriber.push(entry);
  }
}
