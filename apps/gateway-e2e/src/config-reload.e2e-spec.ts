import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './support/eventually';
import { waitForLogEntry } from './support/request-log';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-reload-first-0123456789abcdef';
const SECOND_KEY = 'sk-reload-second-0123456789abcde';

/**
 * The config file kept in git, changed while the gateway serves: `kill -HUP` reads it again
 * (channels, keys, routes, prices...) without a restart, and a broken file changes nothing.
 */
describe('config file read again on SIGHUP (built gateway, openai SDK)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let file: string;

  const config = (models: string, keys: string, prices = '') => `
channels:
  - { name: one, baseUrl: "${upstream.url}", models: [${models}] }
keys:
${keys}
${prices}`;
  const firstKey = `  - { name: first, key: ${KEY} }`;
  const secondKey = `  - { name: second, key: ${SECOND_KEY} }`;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gateway = await startGateway({ config: config('m1', firstKey), env: { HEALTH_CHECK_INTERVAL_MS: '0' } });
    file = join(gateway.dataDir, 'synapse.yaml');
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const ask = (key: string, model: string) =>
    new OpenAI({ apiKey: key, baseURL: gateway.baseURL, maxRetries: 0 }).chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
  const reloaded = async (said: string) => {
    const before = gateway.output().split(said).length;
    gateway.child.kill('SIGHUP');
    await eventually(() => expect(gateway.output().split(said).length).toBeGreaterThan(before), { timeoutMs: 5000 });
  };

  it('applies a changed file: a new model, a new key and a price, at once', async () => {
    await expect(ask(KEY, 'm2')).rejects.toMatchObject({ status: 404 });
    await expect(ask(SECOND_KEY, 'm1')).rejects.toMatchObject({ status: 401 });

    writeFileSync(
      file,
      config('m1, m2', `${firstKey}\n${secondKey}`, 'prices:\n  m2: { input: 1000, output: 2000 }\n'),
    );
    await reloaded('SIGHUP: the config file was read and applied again');
    expect(gateway.output()).toMatch(/applied .*synapse\.yaml: .*created key second/);

    const { response } = await ask(SECOND_KEY, 'm2');
    const entry = await waitForLogEntry(gateway.dataDir, response.headers.get('x-request-id') as string);
    expect(entry.costUsd).toBeGreaterThan(0);
    expect(gateway.child.exitCode).toBeNull();
  });

  it('keeps serving as it was when the changed file is broken, and says why', async () => {
    writeFileSync(file, config('m1, m2, m3', `${firstKey}\n  - { name: third, colour: blue }`));
    await reloaded('SIGHUP: the config file was not applied; the gateway goes on as it was');
    expect(gateway.output()).toContain("keys[1]: unknown field 'colour'");
    // Nothing of the broken file was applied; what the last good one declared still serves.
    await expect(ask(KEY, 'm3')).rejects.toMatchObject({ status: 404 });
    expect((await ask(SECOND_KEY, 'm2')).data.choices[0].message.role).toBe('assistant');
    expect(gateway.child.exitCode).toBeNull();
  });
});
