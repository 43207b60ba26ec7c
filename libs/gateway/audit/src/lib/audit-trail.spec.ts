import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, TypeOrmAuditEventRepository, type Store } from '@synapse/gateway/persistence';
import { createPostgresSchema, describeWithPostgres, POSTGRES_URL } from '@synapse/testing';
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

describeWithPostgres('AuditTrail on PostgreSQL', () => {
  let store: Store;
  let drop: () => Promise<void>;
  let trail: AuditTrail;
  let repo: TypeOrmAuditEventRepository;

  beforeEach(async () => {
    const schema = await createPostgresSchema('audit');
    drop = schema.drop;
    store = await openStore({ dataDir: '', databaseUrl: POSTGRES_URL, schema: schema.schema });
    repo = new TypeOrmAuditEventRepository(store);
    trail = new AuditTrail(repo);
  });

  afterEach(async () => {
    await store.dataSource.destroy();
    await drop();
  });

  it('cuts over-long values to their columns instead of losing the batch', async () => {
    trail.record({
      action: 'Mutation.createGatewayKey',
      outcome: 'failed',
      subjectId: 'k'.repeat(400),
      ip: '203.0.113.7, '.repeat(20),
      detail: 'BAD_USER_INPUT: name: too long',
    });
    trail.record({ action: 'auth.login', outcome: 'failed' });
    await trail.flush();
    const events = await repo.find();
    expect(events.map((e) => e.action).sort()).toEqual(['Mutation.createGatewayKey', 'auth.login']);
    const clipped = events.find((e) => e.action === 'Mutation.createGatewayKey');
    expect(clipped?.subjectId).toHaveLength(300);
    expect(clipped?.ip).toHaveLength(64);
  });

  it('writes the rest of a batch when the store refuses one event, and drops only that one', async () => {
    trail.record({ action: 'a.before', outcome: 'succeeded' });
    // No caller chooses the outcome, so the trail does not cut it: too long for its column, refused.
    trail.record({ action: 'a.refused', outcome: 'failed'.repeat(4) as 'failed' });
    trail.record({ action: 'a.after', outcome: 'succeeded' });
    await trail.flush();
    trail.record({ action: 'a.later', outcome: 'succeeded' });
    await trail.flush();
    expect((await repo.find()).map((e) => e.action).sort()).toEqual(['a.after', 'a.before', 'a.later']);
  });

  it('keeps an event whose texts hold a NUL character, which PostgreSQL text refuses, as U+FFFD', async () => {
    // An identity provider's error, an email, a name: the event was dropped, now it is kept.
    trail.record({
      action: 'auth.sso',
      outcome: 'failed',
      actorEmail: 'a\u0000@example.com',
      detail: 'nul \u0000 here',
    });
    await trail.flush();
    expect(await repo.find()).toEqual([
      expect.objectContaining({ actorEmail: 'a\ufffd@example.com', detail: 'nul \ufffd here' }),
    ]);
  });
});
