/**
 * A reload that never runs twice at once: a call while one runs asks for one more run after it
 * (however many calls came), and every caller waits for the run that reads the state it asked
 * after. A failed run ends the round: its callers see the error, the next call starts afresh.
 */
export class CoalescedReload {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly load: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.load();
    } while (this.again);
  }
}
