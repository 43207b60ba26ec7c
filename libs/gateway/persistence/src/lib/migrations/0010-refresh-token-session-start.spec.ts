import { randomUUID } from 'node:crypto';
import { SQL_STORES } from '../testing/store-harnesses';
import type { Store } from '../typeorm/data-source';
import { TypeOrmRefreshTokenRepository } from '../typeorm/typeorm-refresh-token.repository';

describe.each(SQL_STORES)('RefreshTokenSessionStart1798000000010 on %s', (_name, makeHarness) => {
  it('gives the tokens stored before it the creation time of their family’s oldest token', async () => {
    const harness = makeHarness();
    let store: Store | undefined;
    try {
      store = await harness.open();
      const { dataSource, dialect } = store;
      await undoThrough(store, 'RefreshTokenSessionStart1798000000010');
      // Rows as the previous version wrote them: no session_started_at column yet.
      const at = (iso: string) => (dialect === 'sqlite' ? iso.replace('T', ' ').replace('Z', '') : iso);
      const [family, other] = [randomUUID(), randomUUID()];
      const rows = [
        { family, hash: 'a'.repeat(64), created: '2026-03-01T10:00:00.000Z' },
        { family, hash: 'b'.repeat(64), created: '2026-03-02T10:00:00.000Z' },
        { family: other, hash: 'c'.repeat(64), created: '2026-03-05T10:00:00.000Z' },
      ];
      const slots = [1, 2, 3, 4, 5, 6].map((n) => (dialect === 'postgres' ? `$${n}` : '?')).join(', ');
      for (const row of rows) {
        await dataSource.query(
          `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at) VALUES (${slots})`,
          [randomUUID(), 'u-1', row.family, row.hash, at('2026-04-01T00:00:00.000Z'), at(row.created)],
        );
      }
      await dataSource.runMigrations({ transaction: 'each' });

      const repo = new TypeOrmRefreshTokenRepository(store);
      const started = async (hash: string) => (await repo.findByHash(hash))?.sessionStartedAt?.toISOString();
      expect(await started('a'.repeat(64))).toBe('2026-03-01T10:00:00.000Z');
      expect(await started('b'.repeat(64))).toBe('2026-03-01T10:00:00.000Z');
      expect(await started('c'.repeat(64))).toBe('2026-03-05T10:00:00.000Z');
    } finally {
      await store?.dataSource.destroy();
      await harness.cleanup();
    }
  });
});

/** Undoes the newest migrations, down to and including the one named. */
async function undoThrough(store: Store, name: string): Promise<void> {
  for (;;) {
    const [last] = (await store.dataSource.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')) as {
      name: string;
    }[];
    await store.dataSource.undoLastMigration();
    if (last.name === name) return;
  }
}
