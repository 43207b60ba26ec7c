import { hashApiKey } from '@synapse/crypto';

/** Presented secrets remembered at most: about 1 MB (estimated: two strings and a map entry, ~250 bytes each). */
const MAX_REMEMBERED = 4_096;

/**
 * The SHA-256 of presented gateway keys that matched a key, by the secret presented: a call then
 * costs a map look-up instead of a hash (0.5 µs on a busy CPU; ~29 µs on one that was idle,
 * where it added to every call's latency). Only secrets that matched a key are remembered, so
 * unknown ones cannot fill it, and what a secret may do is still decided by the catalog at every
 * call (a revoked or deleted key is refused as before). The secrets stay in the process's memory,
 * as the channels' keys do.
 */
export class KeyHashes {
  private readonly bySecret = new Map<string, string>();

  constructor(private readonly max = MAX_REMEMBERED) {}

  get size(): number {
    return this.bySecret.size;
  }

  /** The remembered hash of `secret`, if it matched a key before. */
  remembered(secret: string): string | undefined {
    return this.bySecret.get(secret);
  }

  /** The hash of `secret`, computed. */
  hash(secret: string): string {
    return hashApiKey(secret);
  }

  /** Forgets a secret whose key is gone. */
  forget(secret: string): void {
    this.bySecret.delete(secret);
  }

  /** Remembers a secret that matched a key; past `max`, the one remembered first is forgotten. */
  remember(secret: string, hash: string): void {
    if (this.bySecret.size >= this.max) this.bySecret.delete(this.bySecret.keys().next().value as string);
    this.bySecret.set(secret, hash);
  }
}
