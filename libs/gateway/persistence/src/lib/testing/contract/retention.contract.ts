import { auditEvent, logEntry } from './contract-fixtures';
import type { ContractStore, LogRepositories } from './contract-harness';
import { requestBody } from './request-body.contract';

const day = (d: number) => new Date(Date.UTC(2030, 0, d, 12));

/** Each kind's purge deletes only its own rows older than the cutoff, at most `limit` a call. */
export function retentionContract(store: ContractStore<LogRepositories>): void {
  it('purges old request-log rows in batches and leaves newer rows and other kinds alone', async () => {
    const { requestLogs, requestBodies, auditEvents } = store.repos;
    const old = Array.from({ length: 25 }, (_, i) => logEntry(i, { createdAt: new Date(day(1).getTime() + i * 1000) }));
    const recent = Array.from({ length: 5 }, (_, i) => logEntry(100 + i, { createdAt: day(20) }));
    await requestLogs.insertMany([...old, ...recent]);
    await requestBodies.insertMany([requestBody({ requestId: old[0].id, createdAt: day(1) })]);
    await auditEvents.insertMany([auditEvent({ at: day(1) })]);

    const batches: number[] = [];
    for (let deleted = -1; deleted !== 0; ) batches.push((deleted = await requestLogs.purgeOlderThan(day(10), 10)));
    expect(batches).toEqual([10, 10, 5, 0]);
    const left = await requestLogs.search({ filter: {}, first: 100 });
    expect(left.entries.map((e) => e.id).sort()).toEqual(recent.map((e) => e.id).sort());
    expect(await requestBodies.findById(old[0].id)).not.toBeNull();
    expect(await auditEvents.find({})).toHaveLength(1);
  });

  it('purges the oldest first when a batch cannot take them all', async () => {
    const { requestLogs } = store.repos;
    const rows = [3, 1, 2].map((d) => logEntry(d, { createdAt: day(d) }));
    await requestLogs.insertMany(rows);
    expect(await requestLogs.purgeOlderThan(day(10), 1)).toBe(1);
    expect(await requestLogs.findById(rows[1].id)).toBeNull();
    expect(await requestLogs.findById(rows[2].id)).not.toBeNull();
  });

  it('purges old bodies and old audit events the same way', async () => {
    const { requestBodies, auditEvents, requestLogs } = store.repos;
    await requestLogs.insertMany([logEntry(1, { createdAt: day(1) })]);
    const oldBodies = [1, 2, 3].map((d) => requestBody({ createdAt: day(d) }));
    const newBody = requestBody({ createdAt: day(20) });
    await requestBodies.insertMany([...oldBodies, newBody]);
    expect(await requestBodies.purgeOlderThan(day(10), 2)).toBe(2);
    expect(await requestBodies.purgeOlderThan(day(10), 2)).toBe(1);
    expect(await requestBodies.purgeOlderThan(day(10), 2)).toBe(0);
    expect(await requestBodies.findById(newBody.requestId)).toEqual(newBody);

    const newEvent = auditEvent({ at: day(20) });
    await auditEvents.insertMany([auditEvent({ at: day(1) }), auditEvent({ at: day(2) }), newEvent]);
    expect(await auditEvents.purgeOlderThan(day(10), 5000)).toBe(2);
    expect((await auditEvents.find({})).map((e) => e.id)).toEqual([newEvent.id]);
    expect(await requestLogs.count()).toBe(1);
  });
}
