/** Retries an assertion every 20 ms for up to 2 s: replicas converge through Redis, not instantly. */
export async function eventually(check: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 2000;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
