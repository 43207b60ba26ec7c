import { TickBatcher } from './tick-batcher';

describe(TickBatcher.name, () => {
  it('answers the loads of one tick with one call, missing keys as null, and starts over on the next tick', async () => {
    const calls: (readonly string[])[] = [];
    const batcher = new TickBatcher<{ id: string }>(
      async (keys) => {
        calls.push(keys);
        return keys.filter((k) => k !== 'none').map((id) => ({ id }));
      },
      (value) => value.id,
    );
    expect(await Promise.all([batcher.load('a'), batcher.load('none'), batcher.load('a')])).toEqual([
      { id: 'a' },
      null,
      { id: 'a' },
    ]);
    expect(calls).toEqual([['a', 'none']]);
    expect(await batcher.load('b')).toEqual({ id: 'b' });
    expect(calls).toHaveLength(2);
  });

  it('fails every load of a batch whose query failed', async () => {
    const batcher = new TickBatcher<{ id: string }>(
      () => Promise.reject(new Error('down')),
      (v) => v.id,
    );
    await expect(Promise.all([batcher.load('a'), batcher.load('b')])).rejects.toThrow('down');
  });
});
