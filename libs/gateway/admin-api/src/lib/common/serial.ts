/**
 * Runs changes one at a time: a check (a name is free, an owner remains) and the write that relies
 * on it cannot interleave with another change in this process.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
