import type { RequestBody } from '../../models/request-body';
import type { RequestBodyRepository } from '../../log-repositories';
import type { ContractStore } from './contract-harness';
import { keptWithNul } from './contract-fixtures';

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

  it('keeps bodies that hold a NUL character (PostgreSQL stores U+FFFD for it)', async () => {
    // PostgreSQL's text refuses U+0000: a model's answer can hold one, a caller's body too.
    const repo = store.repos.requestBodies;
    const body = requestBody({ request: '{"a":"b\u0000"}', response: 'x\u0000y\u0000' });
    await repo.insertMany([body]);
    expect(await repo.findById(body.requestId)).toEqual({
      ...body,
      request: keptWithNul('{"a":"b\u0000"}'),
      response: keptWithNul('x\u0000y\u0000'),
    });
  });

  it('skips bodies already written when a batch is sent again (its answer lost with the connection)', async () => {
    const repo = store.repos.requestBodies;
    const [a, b] = [requestBody(), requestBody()];
    await repo.insertMany([a]);
    await repo.insertMany([a, b]);
    expect(await repo.findById(b.requestId)).toEqual(b);
  });
}
