import {
  describeWithPostgres,
  POSTGRES_URL,
  runPostgres,
  startMockUpstream,
  type MockUpstream,
} from '@synapse/testing';
import OpenAI from 'openai';
import { Client } from 'pg';
import { eventually } from './support/eventually';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-replica-start-0123456789abcdef';

/**
 * Replicas started at the same moment on a new database, as compose's `replicas: N` starts them
 * (and a rolling upgrade may): before, they ran the migrations at once and all but one crashed on
 * "relation already exists" or a duplicate key, then again on the config file's entries.
 */
describeWithPostgres('replicas started together on one PostgreSQL database', () => {
  const database = `synapse_e2e_start_${process.pid}`;
  const databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  let upstream: MockUpstream;
  const replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    upstream = await startMockUpstream();
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    for (const replica of replicas) removeDir(replica.dataDir);
    await upstream?.close();
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
  });

  it('all start, one at a time through the migrations and the config file, and each entry exists once', async () => {
    const config = `
users:
  - { email: ops@example.com, role: admin, password: "ops-password-0123456789" }
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
keys:
  - { name: shared, key: ${KEY} }
`;
    // The test holds the migrations' lock first, as a replica already migrating would: all three
    // must wait on it (seen in pg_locks) rather than migrate, whatever the timing of their starts.
    const holder = new Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock(hashtext('synapsehub:migrations:public'))");
    const starting = Promise.allSettled(
      [0, 1, 2].map(() => startGateway({ config, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'log' } })),
    );
    try {
      await eventually(
        async () => {
          const waiting = await holder.query(
            "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
          );
          expect(waiting.rows[0].n).toBe(3);
        },
        { timeoutMs: 15_000, intervalMs: 100 },
      );
      const tables = await holder.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await holder.end();
    }
    const started = await starting;
    for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
    expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    for (const replica of replicas) {
      const openai = new OpenAI({ apiKey: KEY, baseURL: replica.baseURL, maxRetries: 0 });
      const answer = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.choices[0].message.role).toBe('assistant');
    }
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const counts = await client.query(
        `SELECT (SELECT count(*) FROM channels WHERE name = 'mock')::int AS channels,
                (SELECT count(*) FROM gateway_keys WHERE name = 'shared')::int AS keys,
                (SELECT count(*) FROM users WHERE email = 'ops@example.com')::int AS users,
                (SELECT count(*) FROM users WHERE role = 'owner')::int AS owners`,
      );
      expect(counts.rows[0]).toEqual({ channels: 1, keys: 1, users: 1, owners: 1 });
    } finally {
      await client.end();
    }
    // Exactly one replica applied the file's entries; the others found them there.
    const applied = replicas.map((replica) => /applied .*: created /.test(replica.output()));
    expect(applied.filter(Boolean)).toHaveLength(1);
    const waited = replicas.filter((replica) => /another replica is running its migrations/.test(replica.output()));
    expect(waited).toHaveLength(3);
  });
});
