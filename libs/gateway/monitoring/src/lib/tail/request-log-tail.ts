import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { RequestLogWriter } from '@synapse/gateway/proxy';
import { PushIterator } from './push-iterator';

/** Entries a subscriber may fall behind by before the oldest are dropped. */
const SUBSCRIBER_BUFFER = 1_000;

type Subscriber = PushIterator<RequestLogEntry> & { accept: (entry: RequestLogEntry) => boolean };

/** Carries entries to and from the other replicas (RedisTailRelay); none on a single replica. */
export interface TailRelay {
  /** Whether a subscriber on another replica listens, so that this replica's entries must go out. */
  readonly remoteListening: boolean;
  send(entry: RequestLogEntry): void;
}

/**
 * The request log as it is written, for live tails: each subscriber gets the entries its `accept`
 * lets through, from this replica and (with a relay) from the others. Entries are the writer's own
 * objects: subscribers must copy what they change. The writer is observed only while someone
 * listens somewhere, so the tail costs the proxy nothing otherwise.
 */
@Injectable()
export class RequestLogTail implements OnApplicationShutdown {
  private readonly subscribers = new Set<Subscriber>();
  private stopObserving: (() => void) | undefined;
  private relay: TailRelay | undefined;

  constructor(private readonly writer: RequestLogWriter) {}

  onApplicationShutdown(): void {
    for (const subscriber of this.subscribers) subscriber.close();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Connects the relay; it calls `refresh` when remote listeners come or go. */
  useRelay(relay: TailRelay): void {
    this.relay = relay;
    this.refresh();
  }

  /** Entries recorded from now on that `accept` lets through, until the iterator is closed. */
  subscribe(accept: (entry: RequestLogEntry) => boolean): PushIterator<RequestLogEntry> {
    const subscriber: Subscriber = Object.assign(
      new PushIterator<RequestLogEntry>(SUBSCRIBER_BUFFER, () => {
        this.subscribers.delete(subscriber);
        this.refresh();
      }),
      { accept },
    );
    this.subscribers.add(subscriber);
    this.refresh();
    return subscriber;
  }

  /** Hands entries to this replica's subscribers (the relay's way in). */
  deliver(entry: RequestLogEntry): void {
    for (const subscriber of this.subscribers) if (subscriber.accept(entry)) subscriber.push(entry);
  }

  /** Observes the writer exactly while someone listens, here or on another replica. */
  refresh(): void {
    const wanted = this.subscribers.size > 0 || this.relay?.remoteListening === true;
    if (wanted && !this.stopObserving) {
      this.stopObserving = this.writer.observe((entry) => {
        this.deliver(entry);
        if (this.relay?.remoteListening) this.relay.send(entry);
      });
    } else if (!wanted && this.stopObserving) {
      this.stopObserving();
      this.stopObserving = undefined;
    }
  }
}
