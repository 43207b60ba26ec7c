/**
 * Runs the multi-replica topology without Docker (libs/testing/src/lib/cluster.ts): N built
 * gateways on one PostgreSQL and one Redis behind a round-robin front on `frontPort`.
 *
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… SYNAPSE_SECRET=… npm run cluster -- [replicas=2] [frontPort=3088]
 */
import { startCluster } from '../../libs/testing/src/lib/cluster';

if (require.main === module) {
  const [replicas = '2', port = '3088'] = process.argv.slice(2);
  const env = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  if (!env['DATABASE_URL'] || !env['REDIS_URL']) {
    process.stderr.write('set DATABASE_URL and REDIS_URL: replicas share PostgreSQL and Redis\n');
    process.exit(2);
  }
  void startCluster({ replicas: Number(replicas), port: Number(port), env }).then((cluster) => {
    process.stdout.write(
      `${cluster.replicas.length} replicas (ports ${cluster.replicas.map((r) => r.port).join(', ')}) behind ${cluster.url}\n`,
    );
    const stop = () => void cluster.stop().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
