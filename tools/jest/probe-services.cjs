// Jest globalSetup: probes PostgreSQL and Redis once per run and tells the specs through the
// environment. With REQUIRE_SERVICES=1 (CI) a missing service fails the run instead of skipping.
const { createConnection } = require('node:net');

function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

module.exports = async function probeServices() {
  const services = {
    postgres: [process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test', 5432],
    redis: [process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379', 6379],
  };
  for (const [name, [url, port]] of Object.entries(services)) {
    const up = await reachable(url, port);
    process.env[`SYNAPSE_TEST_${name.toUpperCase()}`] = up ? '1' : '0';
    if (!up && process.env.REQUIRE_SERVICES === '1') {
      throw new Error(`${name} is required (REQUIRE_SERVICES=1) but not reachable at ${url}`);
    }
    if (!up) console.warn(`\n${name} is not reachable at ${url}: its tests are skipped`);
  }
};
