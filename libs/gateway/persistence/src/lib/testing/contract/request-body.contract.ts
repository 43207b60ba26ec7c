import type { RequestBody } from '../../models/request-body';
import type { RequestBodyRepository } from '../../log-repositories';
import type { ContractStore } from './contract-harness';

export function requestBody(overrides: Partial<RequestBody> = {}): RequestBody {
  return {
    requestId: `req_${Math.random().toString(36).slice(2)}`,
    createdAt: new Date(Date.UTC(2030, 2, 1, 12)),
    request: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"héllo"}]}',
    response: 'Hello there',
    requestTruncated: false,
    responseTruncated: true,
    ...overrides,
  };
}

export function requestBodyContract(store: ContractStore<{ requestBodies: RequestBodyRepository }>): void {
  it('stores bodies in batches and reads one back by request id', async () => {
    const repo = store.repos.requestBodies;
    const large = 'x'.repeat(40_000);
    const bodies = [requestBody(), requestBody({ request: large, response: null, requestTruncated: true })];
    await repo.insertMany(bodies);
    expect(await repo.findById(bodies[0].requestId)).toEqual(bodies[0]);
    expect(await repo.findById(bodies[1].requestId)).toEqual(bodies[1]);
    expect(await repo.findById('req_none')).toBeNull();
  });
}
