import { CoalescedReload } from './coalesced-reload';

/** A load that waits until released, counting its runs. */
function gatedLoad() {
  const gates: (() => void)[] = [];
  let runs = 0;
  let failNext: Error | undefined;
  const load = () => {
    runs++;
    const error = failNext;
    failNext = undefined;
    return new Promise<void>((resolve, reject) => gates.push(() => (error ? reject(error) : resolve())));
  };
  return {
    load,
    runs: () => runs,
    failNextWith: (error: Error) => (failNext = error),
    release: async () => {
      gates.shift()?.();
      // Lets the loop's await and the next run begin.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('CoalescedReload', () => {
  it('runs once for one call', async () => {
    const gate = gatedLoad();
    const reload = new CoalescedReload(gate.load);
    const done = reload.run();
    await gate.release();
    await done;
    expect(gate.runs()).toBe(1);
  });

  it('collapses the calls made during a run into one more run, which every caller waits for', async () => {
    const gate = gatedLoad();
    const reload = new CoalescedReload(gate.load);
    const first = reload.run();
    const during = [reload.run(), reload.run(), reload.run()];
    let settled = 0;
    for (const call of [first, ...during]) void call.then(() => settled++);

    await gate.release();
    expect(gate.runs()).toBe(2);
    expect(settled).toBe(0);

    await gate.release();
    await Promise.all([first, ...during]);
    expect(gate.runs()).toBe(2);
  });

  it('starts afresh after a round ends', async () => {
    const gate = gatedLoad();
    const reload = new CoalescedReload(gate.load);
    const first = reload.run();
    await gate.release();
    await first;
    const second = reload.run();
    await gate.release();
    await second;
    expect(gate.runs()).toBe(2);
  });

  it('hands a failed run to its callers and takes the next call as a new round', async () => {
    const gate = gatedLoad();
    const reload = new CoalescedReload(gate.load);
    gate.failNextWith(new Error('store down'));
    const failed = reload.run();
    const also = reload.run();
    await gate.release();
    await expect(failed).rejects.toThrow('store down');
    await expect(also).rejects.toThrow('store down');

    const next = reload.run();
    await gate.release();
    await expect(next).resolves.toBeUndefined();
    expect(gate.runs()).toBe(2);
  });
});
