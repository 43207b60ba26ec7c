import { newRequestId } from './request-id';

describe('newRequestId', () => {
  it('is req_ and 32 hex digits, unique, and ordered by time', async () => {
    const first = newRequestId();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const ids = Array.from({ length: 1000 }, newRequestId);
    expect(first).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id) => id > first)).toBe(true);
  });
});
