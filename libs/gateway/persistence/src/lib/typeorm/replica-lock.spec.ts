import { createPostgresSchema, describeWithPostgres, POSTGRES_URL } from '@synapse/testing';
import { openStore, type Store } from './data-source';

/** Two stores on one schema stand for two replicas of the gateway. */
describeWithPostgres('Store.exclusively on PostgreSQL', () => {
  let drop: () => Promise<void>;
  const stores: Store[] = [];
  const notes: string[] = [];

  beforeAll(async () => {
    const created = await createPostgresSchema('lock');
    drop = created.drop;
    const open = () =>
      openStore({ dataDir: '', databaseUrl: POSTGRES_URL, schema: created.schema, log: (note) => notes.push(note) });
    // One after the other: the first runs the migrations, the second finds them done.
    stores.push(await open(), await open());
  });

  afterAll(async () => {
    for (const store of stores) await store.dataSource.destroy();
    await drop?.();
  });

  it('runs work of one name on one replica at a time; the other waits, says so, then runs', async () => {
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const firstIn = new Promise<void>((resolve) => (entered = resolve));
    const first = stores[0].exclusively('provisioning', async () => {
      events.push('first in');
      entered();
      await held;
      events.push('first out');
      return 1;
    });
    await firstIn;
    const second = stores[1].exclusively('provisioning', async () => {
      events.push('second in');
      return 2;
    });
    // The second has had time to ask for the lock and wait.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).toEqual(['first in']);
    expect(notes).toContain('another replica is running its provisioning: waiting for it to finish');
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
  });

  it('lets go when the work fails, and work of another name never waits', async () => {
    await expect(
      stores[0].exclusively('provisioning', async () => {
        throw new Error('bad config');
      }),
    ).rejects.toThrow('bad config');
    expect(await stores[1].exclusively('provisioning', async () => 'next')).toBe('next');
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const held = stores[0].exclusively('migrations', () => {
      entered();
      return new Promise<void>((resolve) => (release = resolve));
    });
    await inside;
    expect(await stores[1].exclusively('provisioning', async () => 'other name')).toBe('other name');
    release();
    await held;
  });
});
