import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, TypeOrmAuditEventRepository, type Store } from '@synapse/gateway/persistence';
import { AuditTrail } from './audit-trail';

describe('AuditTrail on SQLite', () => {
  let dir: string;
  let store: Store;
  let trail: AuditTrail;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-audit-'));
    store = await openStore({ dataDir: dir });
    trail = new AuditTrail(new TypeOrmAuditEventRepository(store));
  });

  afterEach(async () => {
    await store.dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores what is recorded, secrets redacted, and reads it back newest first', async () => {
    trail.record({ action: 'auth.login', outcome: 'failed', detail: 'bad_password', ip: '10.0.0.1' });
    trail.record({
      action: 'Mutation.createChannel',
      outcome: 'succeeded',
      actorId: 'u1',
      subject: 'Channel',
      changes: { name: 'openai', apiKey: 'sk-live-secret' },
    });
    const events = await trail.find({});
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['Mutation.createChannel', 'succeeded'],
      ['auth.login', 'failed'],
    ]);
    expect(events[0].changes).toEqual({ name: 'openai', apiKey: '[redacted]' });
    expect(JSON.stringify(await new TypeOrmAuditEventRepository(store).find())).not.toContain('sk-live-secret');
  });

  it('writes on its own shortly after, and everything at shutdown', async () => {
    const repo = new TypeOrmAuditEventRepository(store);
    trail.record({ action: 'a.one', outcome: 'succeeded' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await repo.find()).toHaveLength(1);
    for (let i = 0; i < 250; i++) trail.record({ action: `a.${i}`, outcome: 'succeeded' });
    await trail.onApplicationShutdown();
    expect(await repo.find({ limit: 1000 })).toHaveLength(251);
  });

  it('keeps events the store refused and writes them once it accepts again', async () => {
    const repo = new TypeOrmAuditEventRepository(store);
    await store.dataSource.query('ALTER TABLE audit_events RENAME TO audit_events_away');
    trail.record({ action: 'a.kept', outcome: 'denied' });
    await trail.flush();
    await store.dataSource.query('ALTER TABLE audit_events_away RENAME TO audit_events');
    await trail.flush();
    expect((await repo.find()).map((e) => e.action)).toEqual(['a.kept']);
  });
});
