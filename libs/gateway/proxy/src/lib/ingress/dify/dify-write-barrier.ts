import { Injectable } from '@nestjs/common';

/**
 * A turn is stored after its answer went out, so a caller can ask for it before the write has
 * landed. Reads of one key and user wait for that scope's writes still in flight (usually none).
 */
@Injectable()
export class DifyWriteBarrier {
  private readonly pending = new Map<string, Promise<unknown>>();

  /** Runs `write` after the scope's earlier writes; its failure is the caller's to handle. */
  write<T>(keyId: string, user: string, write: () => Promise<T>): Promise<T> {
    const scope = `${keyId}\n${user}`;
    const previous = this.pending.get(scope) ?? Promise.resolve();
    const result = previous.then(write, write);
    const settled = result.catch(() => undefined);
    this.pending.set(scope, settled);
    void settled.then(() => {
      if (this.pending.get(scope) === settled) this.pending.delete(scope);
    });
    return result;
  }

  /** Resolves once the scope's writes so far have landed (or failed). */
  settled(keyId: string, user: string): Promise<unknown> {
    return this.pending.get(`${keyId}\n${user}`) ?? Promise.resolve();
  }
}
