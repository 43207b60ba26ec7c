import {
  describeWithPostgres,
  POSTGRES_URL,
  REDIS_URL,
  runPostgres,
  startCluster,
  startMockUpstream,
  type Cluster,
  type MockUpstream,
} from '@synapse/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Agent } from 'undici';
import { eventually } from './support/eventually';
import { removeDir, tempDir } from './support/gateway-process';
import { apiError } from './support/openai-calls';
import { readRequestLog } from './support/request-log';

const KEY = 'sk-cluster-0123456789abcdef01234';
const CAPPED_KEY = 'sk-cluster-capped-0123456789abcd';

/**
 * The multi-replica topology of the `replicas` compose profile, without Docker
 * (libs/testing/src/lib/cluster.ts, `npm run cluster`): three replicas on PostgreSQL and Redis behind a round-robin front.
 * Calls spread over the replicas, a limit holds for the cluster as a whole, and a replica killed
 * mid-run costs no call: the front passes it over. A Dify stop reaches the replica serving the stream.
 * A replica stopped under load, as a rolling deploy stops it, exits at once and costs no call.
 */
describeWithPostgres('three replicas behind a round-robin front', () => {
  const database = `synapse_cluster_${process.pid}`;
  const databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  const dataDir = tempDir();
  let upstream: MockUpstream;
  let cluster: Cluster;
  let sent = 0;

  beforeAll(async () => {
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    upstream = await startMockUpstream({ record: false });
    const config = join(dataDir, 'synapse.yaml');
    writeFileSync(
      config,
      `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
routes:
  - { name: dify, retry: { attempts: 1 }, targets: [{ channel: mock, model: gpt-4o-mini }] }
keys:
  - { name: shared, key: ${KEY} }
  - { name: capped, key: ${CAPPED_KEY}, limits: { rpm: 10 } }
`,
    );
    cluster = await startCluster({
      replicas: 3,
      env: {
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        DATA_DIR: dataDir,
        SYNAPSE_CONFIG: config,
        SYNAPSE_SECRET: 'e2e-master-secret-0123456789abcdefghijklmnop',
        ADMIN_PASSWORD: 'e2e-admin-password',
        LOG_FLUSH_INTERVAL_MS: '50',
        HEALTH_CHECK_INTERVAL_MS: '0',
      },
    });
  });

  afterAll(async () => {
    await cluster?.stop();
    await upstream?.close();
    removeDir(dataDir);
    await runPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  /** A connection of its own for each call (its own undici Agent): the front hands each to the next replica. */
  const ask = async (key = KEY) => {
    sent++;
    const dispatcher = new Agent();
    try {
      return await new OpenAI({
        apiKey: key,
        baseURL: `${cluster.url}/v1`,
        maxRetries: 0,
        // undici's own RequestInit type, the same object as fetch's at run time.
        fetchOptions: { dispatcher } as never,
      }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    } finally {
      await dispatcher.close();
    }
  };

  it('spreads calls over every replica', async () => {
    for (let i = 0; i < 12; i++) expect((await ask()).choices[0].message.content).toBeTruthy();
    for (const replica of cluster.replicas) expect(replica.connections).toBeGreaterThan(0);
  });

  it('holds a key limit for the cluster as a whole', async () => {
    const outcomes = [];
    for (let i = 0; i < 14; i++)
      outcomes.push(
        await ask(CAPPED_KEY).then(
          () => 200,
          async (e) => (await apiError(Promise.reject(e))).status,
        ),
      );
    expect(outcomes.filter((status) => status === 200)).toHaveLength(10);
    expect(outcomes.filter((status) => status === 429)).toHaveLength(4);
  });

  it('stops a Dify stream served by one replica when the stop call lands on another', async () => {
    upstream.setDefaults({ gate: 'cluster-dify-stop', chunks: 5 });
    const [serving, asked] = [cluster.replicas[0], cluster.replicas[2]];
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const response = await fetch(`http://127.0.0.1:${serving.port}/v1/chat-messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: 'long story', inputs: {}, user: 'dave', response_mode: 'streaming' }),
    });
    sent++;
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\n\n')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    const taskId = (JSON.parse(text.slice('data: '.length, text.indexOf('\n\n'))) as { task_id: string }).task_id;
    const stop = await fetch(`http://127.0.0.1:${asked.port}/v1/chat-messages/${taskId}/stop`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ user: 'dave' }),
    });
    expect(await stop.json()).toEqual({ result: 'success' });
    // The upstream still holds its stream: only the stop can end the caller's.
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
    }
    upstream.release('cluster-dify-stop');
    upstream.setDefaults({});
    expect(text).toContain('"event":"message_end"');
    expect(text.match(/"event":"message"/g)).toHaveLength(1);
  });

  it('loses no call when a replica is killed: the front passes it over', async () => {
    // Its log entries are written within the flush interval; wait for them before the kill.
    await new Promise((r) => setTimeout(r, 300));
    const victim = cluster.replicas[1];
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    for (let i = 0; i < 12; i++) expect((await ask()).choices[0].message.content).toBeTruthy();
  });

  it('logged every call in the one database', async () => {
    await eventually(async () => expect((await readRequestLog(dataDir, databaseUrl)).length).toBe(sent), {
      timeoutMs: 5000,
      intervalMs: 100,
    });
  });

  it('stops a replica under load as a rolling deploy does: no call lost by an SDK with its default retries', async () => {
    // One pool of keep-alive connections, spread over the replicas by the front, as a service's client has.
    const dispatcher = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    const client = new OpenAI({ apiKey: KEY, baseURL: `${cluster.url}/v1`, fetchOptions: { dispatcher } as never });
    const stopping = cluster.replicas[2];
    const TOTAL = 240;
    const ids: string[] = [];
    let next = 0;
    let stopped: Promise<number> | undefined;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        if (i === 60) {
          const signalled = Date.now();
          stopped = new Promise((exited) => stopping.child.once('exit', () => exited(Date.now() - signalled)));
          stopping.child.kill('SIGTERM');
        }
        const messages = [{ role: 'user' as const, content: `n${i}` }];
        if (i % 4 === 0) {
          const { data, request_id } = await client.chat.completions
            .create({ model: 'gpt-4o-mini', messages, stream: true })
            .withResponse();
          for await (const _ of data) void _;
          ids.push(request_id as string);
        } else {
          const { request_id } = await client.chat.completions
            .create({ model: 'gpt-4o-mini', messages })
            .withResponse();
          ids.push(request_id as string);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: 12 }, worker));
    } finally {
      await dispatcher.close();
    }
    expect(ids).toHaveLength(TOTAL);
    // It did not wait out SHUTDOWN_TIMEOUT_MS (30 s). Under steady load even a gateway without the
    // drain's closing would pass this: each pooled connection's next call gets 503 and Connection:
    // close (the SDK retries it). Idle pooled connections are shutdown.e2e-spec.ts's test.
    expect(await stopped).toBeLessThan(10_000);
    await eventually(
      async () => {
        const logged = new Set((await readRequestLog(dataDir, databaseUrl)).map((e) => e.id));
        expect(ids.filter((id) => !logged.has(id))).toEqual([]);
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );
  });
});
