/**
 * Retries an assertion until it holds: replicas converge through Redis, and jobs (rollups, alert
 * evaluations) run on timers in other processes. Every 20 ms for up to 2 s unless told otherwise.
 */
export async function eventually(
  check: () => unknown | Promise<unknown>,
  { timeoutMs = 2000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
