import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresSchema, postgresAvailable, POSTGRES_URL } from '@synapse/testing';
import { openStore, type Store } from '../typeorm/data-source';

/** Opens one SQL store for a contract suite (again after a close, on the same data) and removes it. */
export interface StoreHarness {
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function sqliteHarness(): StoreHarness {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-contract-'));
  return {
    open: () => openStore({ dataDir: dir }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresHarness(): StoreHarness {
  let drop: (() => Promise<void>) | undefined;
  let schema: string | undefined;
  return {
    open: async () => {
      if (!schema) ({ schema, drop } = await createPostgresSchema('contract'));
      return openStore({ dataDir: '', databaseUrl: POSTGRES_URL, schema });
    },
    cleanup: async () => drop?.(),
  };
}

/** SQLite always; PostgreSQL when it is reachable (or required: see tools/jest/probe-services.cjs). */
export const SQL_STORES: [string, () => StoreHarness][] = [
  ['SQLite', sqliteHarness],
  ...(postgresAvailable ? [['PostgreSQL', postgresHarness] as [string, () => StoreHarness]] : []),
];

/**
 * A store opened before a suite's tests and removed after them; call in a `describe`. Returns a
 * getter, since the store exists only once `beforeAll` has run.
 */
export function storeForSuite(makeHarness: () => StoreHarness): () => Store {
  const harness = makeHarness();
  let store: Store | undefined;
  beforeAll(async () => {
    store = await harness.open();
  });
  afterAll(async () => {
    await store?.dataSource.destroy();
    await harness.cleanup();
  });
  return () => {
    if (!store) throw new Error('the store opens in beforeAll: read it in a test');
    return store;
  };
}
