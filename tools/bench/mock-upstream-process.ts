/**
 * Runs the mock OpenAI-compatible upstream in a process of its own for the benchmark.
 *
 *   node -r @swc-node/register tools/bench/mock-upstream-process.ts [port]
 *
 * Listens on 127.0.0.1:<port> (0 or no argument: a free port) and prints one ready line on stdout:
 *   {"ready":"mock-upstream","port":<port>}
 * Exits on SIGTERM/SIGINT, and, with BENCH_WATCH_STDIN=1 (set by run.ts, which holds a pipe to
 * stdin), when stdin closes: the parent went away without cleaning up.
 */
import { startMockUpstream } from '../../libs/testing/src/lib/mock-upstream';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad port: ${process.argv[2]}`);
  const mock = await startMockUpstream({ port, host: '127.0.0.1', record: false });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void mock.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.env['BENCH_WATCH_STDIN'] === '1') {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
  process.stdout.write(`${JSON.stringify({ ready: 'mock-upstream', port: mock.port })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`mock upstream failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
