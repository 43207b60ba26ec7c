/**
 * Work one replica at a time across the store's replicas (the start's config file, after the
 * migrations): a mutex that spans processes. On SQLite, which one process serves, it just runs.
 */
export abstract class ReplicaLock {
  abstract exclusively<T>(name: string, work: () => Promise<T>): Promise<T>;
}
