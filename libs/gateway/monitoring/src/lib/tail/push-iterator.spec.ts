import { PushIterator } from './push-iterator';

describe(PushIterator.name, () => {
  it('hands pushed items to a waiting reader, keeps at most its capacity, and ends when closed', async () => {
    let closed = 0;
    const iterator = new PushIterator<number>(2, () => closed++);
    const waiting = iterator.next();
    iterator.push(1);
    expect(await waiting).toEqual({ value: 1, done: false });
    iterator.push(2);
    iterator.push(3);
    iterator.push(4);
    expect(iterator.dropped).toBe(1);
    expect(await iterator.next()).toEqual({ value: 3, done: false });
    const pending = (await iterator.next(), iterator.next());
    await iterator.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
    iterator.push(5);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
