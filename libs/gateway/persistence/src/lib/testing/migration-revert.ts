import type { Store } from '../typeorm/data-source';

/**
 * Runs `check` with the migration `name` and those after it undone (newest first), then applies
 * them again, whatever `check` does: for specs of a migration's `down`.
 */
export async function whileReverted(store: Store, name: string, check: () => Promise<void>): Promise<void> {
  const position = store.dataSource.migrations.findIndex((migration) => migration.name === name);
  if (position < 0) throw new Error(`no migration named ${name}`);
  for (let i = position; i < store.dataSource.migrations.length; i++) {
    await store.dataSource.undoLastMigration({ transaction: 'each' });
  }
  try {
    await check();
  } finally {
    await store.dataSource.runMigrations({ transaction: 'each' });
  }
}
