import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../models/audit-event';
import type { User } from '../models/user';
import { openStore, type Store } from './data-source';
import { TypeOrmAuditEventRepository, TypeOrmTeamRepository } from './typeorm-access-repositories';
import { logEntry } from '../testing/contract/contract-fixtures';
import { TypeOrmRequestLogRepository, TypeOrmUserRepository } from './typeorm-repositories';

const user = (role: string, n: number): User => ({
  id: randomUUID(),
  email: `u${n}@example.com`,
  name: null,
  role,
  passwordHash: null,
  createdAt: new Date(),
  updatedAt: new Date(),
});

const auditEvent = (n: number): AuditEvent => ({
  id: randomUUID(),
  at: new Date(),
  actorId: null,
  actorEmail: null,
  ip: null,
  action: `test.${n}`,
  subject: null,
  subjectId: null,
  outcome: 'succeeded',
  detail: null,
  changes: null,
  requestId: null,
});

/**
 * SQLite serves every query through one connection, where TypeORM nests a second concurrent
 * transaction as a savepoint or fails its BEGIN. Writes that the admin API and the audit trail
 * start together must all land.
 */
describe('SQLite store under concurrent writes', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-sqlite-concurrency-'));
    store = await openStore({ dataDir: dir });
  });
  afterEach(async () => {
    await store.dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs transactions, saves and batched inserts started at once without losing any', async () => {
    const users = new TypeOrmUserRepository(store);
    const audit = new TypeOrmAuditEventRepository(store);
    const teams = new TypeOrmTeamRepository(store);
    await users.save(user('owner', 0));
    const members = await Promise.all(Array.from({ length: 10 }, (_, n) => users.save(user('member', n + 1))));
    const team = { id: randomUUID(), name: 't', description: null, limits: null, createdAt: new Date() };

    const work: Promise<unknown>[] = [];
    for (let n = 0; n < 10; n++) {
      work.push(users.changeKeepingAnOwner({ save: { ...members[n], name: `renamed ${n}` } }));
      work.push(audit.insertMany([auditEvent(2 * n), auditEvent(2 * n + 1)]));
      work.push(teams.save({ ...team, id: randomUUID(), name: `team ${n}`, updatedAt: new Date() }));
      work.push(users.save({ ...user('member', 100 + n) }));
    }
    const outcomes = await Promise.allSettled(work);

    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect((await users.findAll()).filter((u) => u.name?.startsWith('renamed'))).toHaveLength(10);
    expect(await audit.find({})).toHaveLength(20);
    expect(await teams.findAll()).toHaveLength(10);
    expect(await users.count()).toBe(21);
  });

  // The request log is written by a thread of its own, on a second connection. A transaction that
  // began with a read holds a snapshot: had that thread committed before the transaction's first
  // write, SQLite would refuse the write (SQLITE_BUSY_SNAPSHOT, a 500 in the admin API under traffic).
  it('keeps a read-then-write transaction whole while the request-log thread writes', async () => {
    const users = new TypeOrmUserRepository(store);
    const logs = new TypeOrmRequestLogRepository(store);
    const owner = user('owner', 0);
    await users.save(owner);
    let logWrite: Promise<void> | undefined;
    try {
      // The thread is started (and its connection open) before the transaction, so that its write
      // lands inside the window below.
      await logs.insertMany([logEntry(0)]);
      await store.transaction(async (manager) => {
        await manager.query('SELECT count(*) FROM users');
        logWrite = logs.insertMany([logEntry(1)]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await manager.query('UPDATE users SET name = ? WHERE id = ?', ['renamed', owner.id]);
      });
      await logWrite;
      expect((await users.findById(owner.id))?.name).toBe('renamed');
      expect(await store.dataSource.query('SELECT count(*) AS n FROM request_logs')).toEqual([{ n: 2 }]);
    } finally {
      await logWrite?.catch(() => undefined);
      await logs.close();
    }
  });

  it('lets one failed transaction roll back alone', async () => {
    const audit = new TypeOrmAuditEventRepository(store);
    const duplicate = auditEvent(1);
    const outcomes = await Promise.allSettled([
      audit.insertMany([auditEvent(2)]),
      audit.insertMany([duplicate, { ...duplicate }]),
      audit.insertMany([auditEvent(3)]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await audit.find({})).map((e) => e.action).sort()).toEqual(['test.2', 'test.3']);
  });
});
