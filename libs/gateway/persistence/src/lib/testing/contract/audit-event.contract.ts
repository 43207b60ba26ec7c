import type { AuditEvent } from '../../models/audit-event';
import type { AuditEventRepository } from '../../repositories';
import { auditEvent, T0 } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

export function auditEventContract(store: ContractStore<{ auditEvents: AuditEventRepository }>): void {
  let audit: AuditEventRepository;
  beforeEach(() => {
    audit = store.repos.auditEvents;
  });

  it('records audit events and finds them newest first by actor, action prefix, outcome and time', async () => {
    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
    await audit.insertMany([
      auditEvent({ at: at(0), changes: { name: 'ci', apiKey: '[redacted]' } }),
      auditEvent({ at: at(1), action: 'auth.login', outcome: 'failed', actorId: null, detail: 'bad_password' }),
      auditEvent({ at: at(2), action: 'Mutation.deleteRoute', outcome: 'denied', actorId: 'u2', subject: 'Route' }),
    ]);
    expect((await audit.find()).map((e) => e.action)).toEqual([
      'Mutation.deleteRoute',
      'auth.login',
      'Mutation.createGatewayKey',
    ]);
    expect((await audit.find({ action: 'Mutation.*' })).map((e) => e.action)).toEqual([
      'Mutation.deleteRoute',
      'Mutation.createGatewayKey',
    ]);
    expect(await audit.find({ action: 'Mutation.%' })).toEqual([]);
    expect((await audit.find({ outcome: 'denied' })).map((e) => e.actorId)).toEqual(['u2']);
    expect((await audit.find({ subject: 'Route' })).map((e) => e.action)).toEqual(['Mutation.deleteRoute']);
    expect((await audit.find({ actorId: 'u1' })).map((e) => e.at)).toEqual([at(0)]);
    expect(await audit.find({ since: at(1), until: at(1) })).toHaveLength(1);
    expect((await audit.find({ limit: 1 }))[0].action).toBe('Mutation.deleteRoute');
    expect((await audit.find({ actorId: 'u1' }))[0].changes).toEqual({ name: 'ci', apiKey: '[redacted]' });
  });

  it('keeps what it stores apart from the objects its callers hold', async () => {
    const recorded = auditEvent({ changes: { name: 'ci' } });
    await audit.insertMany([recorded]);
    (recorded.changes as Record<string, unknown>)['name'] = 'changed-after-insert';
    const [found] = await audit.find();
    found.detail = 'changed-after-find';
    expect(await audit.find()).toEqual([
      expect.objectContaining<Partial<AuditEvent>>({ detail: null, changes: { name: 'ci' } }),
    ]);
  });
}
