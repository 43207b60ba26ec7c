import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql as gqlRequest, type GqlBody } from './support/admin-session';
import { eventually } from './support/eventually';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import { apiError, type WithMock } from './support/openai-calls';
import { waitForLogEntry } from './support/request-log';
import { sqliteRows } from './support/sqlite-rows';

const OWNER = 'owner@example.com';
const PASSWORD = 'e2e-security-channels-password';
const GATEWAY_KEY = 'sk-security-channels-0123456789abcdef';
const STORED_KEY = 'sk-upstream-stored-SECRET-a1b2';
const NEW_KEY = 'sk-upstream-given-again-c3d4';
const HEADER_SECRET = 'hdr-secret-value-123';

const CREATE = 'mutation($input: CreateChannelInput!) { createChannel(input: $input) { id baseUrl apiKeyHint } }';
const UPDATE =
  'mutation($id: ID!, $input: UpdateChannelInput!) { updateChannel(id: $id, input: $input) { id baseUrl apiKeyHint } }';

const codesOf = (body: GqlBody) => body.errors?.map((e) => e.extensions?.['code']);

/**
 * Security issue #11, items 4, 6 and 7, as attacks against the built gateway: an upstream key
 * moved to plain http, channels aimed at internal addresses, and header secrets echoed back by
 * an upstream's error.
 */
describe('upstream channels: secrets, egress policy, redaction (built gateway)', () => {
  describe('on a gateway with the default egress policy', () => {
    let upstream: MockUpstream;
    let gateway: GatewayProcess;
    let dataDir: string;
    let owner: string;
    let client: OpenAI;

    beforeAll(async () => {
      upstream = await startMockUpstream();
      dataDir = tempDir();
      gateway = await startGateway({
        dataDir,
        env: {
          ADMIN_EMAIL: OWNER,
          ADMIN_PASSWORD: PASSWORD,
          HEALTH_CHECK_INTERVAL_MS: '0',
          ROUTING_FAILURE_THRESHOLD: '1000',
        },
        config: `keys:\n  - { name: e2e, key: ${GATEWAY_KEY} }\n`,
      });
      owner = await accessToken(gateway.url, OWNER, PASSWORD);
      client = new OpenAI({ apiKey: GATEWAY_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    });

    afterAll(async () => {
      await gateway?.stop();
      await upstream?.close();
      if (dataDir) removeDir(dataDir);
    });

    const graphql = (query: string, variables: Record<string, unknown>) =>
      gqlRequest(gateway.url, query, owner, variables);
    const storedRow = (name: string) =>
      sqliteRows<{ base_url: string; api_key_encrypted: string | null; headers: string }>(
        dataDir,
        `SELECT base_url, api_key_encrypted, headers FROM channels WHERE name = '${name}'`,
      );

    it('(4) keeps the stored key from following a move to http or to another port, until it is given again', async () => {
      const https = `https://127.0.0.1:${upstream.port}/v1`;
      const created = await graphql(CREATE, {
        input: {
          name: 'tls-chan',
          baseUrl: https,
          apiKey: STORED_KEY,
          models: ['tls-model'],
          headers: [{ name: 'api-key', value: HEADER_SECRET }],
        },
      });
      expect(created.errors).toBeUndefined();
      const id = (created.data?.['createChannel'] as { id: string }).id;
      const before = storedRow('tls-chan');

      const plain = `http://127.0.0.1:${upstream.port}/v1`;
      const otherPort = `https://127.0.0.1:${upstream.port + 1}/v1`;
      for (const baseUrl of [plain, otherPort]) {
        const moved = await graphql(UPDATE, { id, input: { baseUrl } });
        expect(codesOf(moved)).toEqual(['BAD_USER_INPUT']);
        expect(moved.errors?.[0].message).toContain('apiKey and headers: the channel moves to another origin');
        expect(storedRow('tls-chan')).toEqual(before);
      }

      // The channel still speaks TLS: the key never reaches the plain-http server in clear.
      const call = client.chat.completions.create({ model: 'tls-model', messages: [{ role: 'user', content: 'hi' }] });
      expect((await apiError(call)).status).toBe(502);
      expect(upstream.requests.some((r) => r.headers['authorization'] === `Bearer ${STORED_KEY}`)).toBe(false);

      // Given again, the secrets go where the operator says.
      const given = await graphql(UPDATE, { id, input: { baseUrl: plain, apiKey: NEW_KEY, headers: [] } });
      expect(given.errors).toBeUndefined();
      expect(given.data?.['updateChannel']).toMatchObject({ baseUrl: plain, apiKeyHint: '…c3d4' });
      await client.chat.completions.create({ model: 'tls-model', messages: [{ role: 'user', content: 'hi' }] });
      expect(upstream.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${NEW_KEY}`);
    });

    it.each([
      ['http://169.254.169.254/v1', '169.254.169.254 is a cloud metadata address'],
      ['http://[::ffff:169.254.169.254]/latest', 'is a cloud metadata address'],
      ['http://metadata.google.internal/computeMetadata/v1', 'metadata.google.internal is a cloud metadata host name'],
      ['http://[fe80::1]:8080/v1', 'fe80::1 is a link-local address'],
    ])('(6) refuses a channel at %s when it is saved, and stores nothing', async (baseUrl, reason) => {
      const refused = await graphql(CREATE, { input: { name: 'internal', baseUrl, models: ['m'] } });
      expect(codesOf(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors?.[0].message).toContain(reason);
      expect(storedRow('internal')).toEqual([]);
    });

    it('(6) refuses to move an existing channel to the metadata address', async () => {
      const created = await graphql(CREATE, {
        input: { name: 'movable', baseUrl: upstream.url, models: ['movable-model'] },
      });
      const id = (created.data?.['createChannel'] as { id: string }).id;
      const moved = await graphql(UPDATE, { id, input: { baseUrl: 'http://169.254.169.254/v1' } });
      expect(codesOf(moved)).toEqual(['BAD_USER_INPUT']);
      expect(storedRow('movable')[0].base_url).toBe(upstream.url);
    });

    it('(7) never lets a sealed header value echoed by an upstream error reach the caller or the request log', async () => {
      const created = await graphql(CREATE, {
        input: {
          name: 'echo-chan',
          baseUrl: upstream.url,
          apiKey: STORED_KEY,
          models: ['echo-model'],
          headers: [{ name: 'api-key', value: HEADER_SECRET }],
        },
      });
      expect(created.errors).toBeUndefined();

      for (const status of [400, 401, 500]) {
        const before = upstream.requests.length;
        const body: WithMock<OpenAI.ChatCompletionCreateParamsNonStreaming> = {
          model: 'echo-model',
          messages: [{ role: 'user', content: 'hi' }],
          mock: { echoHeader: 'api-key', status },
        };
        const error = await apiError(client.chat.completions.create(body));
        // The upstream did receive the header and did echo it: the gateway took it out.
        expect(upstream.requests[before].headers['api-key']).toBe(HEADER_SECRET);
        expect(error.message).toContain("header api-key '[redacted]' is not accepted");
        expect(JSON.stringify(error.error)).not.toContain(HEADER_SECRET);
        expect(error.message).not.toContain(HEADER_SECRET);

        const entry = await waitForLogEntry(dataDir, error.requestID as string);
        expect(entry.errorMessage).toContain('[redacted]');
        expect(JSON.stringify(entry)).not.toContain(HEADER_SECRET);
      }
    });
  });

  describe('on a gateway whose private allow-list is emptied', () => {
    let upstream: MockUpstream;
    let gateway: GatewayProcess;
    let dataDir: string;

    beforeAll(async () => {
      upstream = await startMockUpstream();
      dataDir = tempDir();
      gateway = await startGateway({
        dataDir,
        env: {
          ADMIN_EMAIL: OWNER,
          ADMIN_PASSWORD: PASSWORD,
          UPSTREAM_ALLOWED_PRIVATE_CIDRS: 'none',
          // Health checks run often, and their failures do not take the target out of rotation here.
          HEALTH_CHECK_INTERVAL_MS: '100',
          ROUTING_FAILURE_THRESHOLD: '100000',
        },
        // A host name, so that the start passes and the check after DNS is the one that refuses.
        config: `
channels:
  - { name: local-model, baseUrl: "http://localhost:${upstream.port}/v1", apiKey: ${STORED_KEY}, models: [local-model] }
keys:
  - { name: e2e, key: ${GATEWAY_KEY} }
`,
      });
    });

    afterAll(async () => {
      await gateway?.stop();
      await upstream?.close();
      if (dataDir) removeDir(dataDir);
    });

    it('(6) refuses to connect after DNS: an OpenAI-shaped 502, nothing sent upstream, the reason in the request log', async () => {
      const client = new OpenAI({ apiKey: GATEWAY_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
      const error = await apiError(
        client.chat.completions.create({ model: 'local-model', messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(error.status).toBe(502);
      expect(error.code).toBe('upstream_address_refused');
      expect(error.type).toBe('server_error');
      // The caller is not told the internal address; the operator reads it in the log.
      expect(error.message).not.toContain('127.0.0.1');

      const entry = await waitForLogEntry(dataDir, error.requestID as string);
      expect(entry).toMatchObject({ status: 502, errorClass: 'upstream_address_refused' });
      expect(entry.errorMessage).toContain('upstream address refused by the egress policy: localhost resolves to');
      expect(entry.errorMessage).toContain('outside UPSTREAM_ALLOWED_PRIVATE_CIDRS');
      expect(upstream.requests).toEqual([]);
    });

    it('(6) refuses the scheduled health checks the same way', async () => {
      const owner = await accessToken(gateway.url, OWNER, PASSWORD);
      await eventually(async () => {
        const body = await gqlRequest(gateway.url, '{ routingTargets { channelName lastCheck { ok error } } }', owner);
        expect(body.data?.['routingTargets']).toEqual([
          { channelName: 'local-model', lastCheck: { ok: false, error: 'upstream_refused' } },
        ]);
      });
      expect(upstream.requests).toEqual([]);
    });
  });

  it('(6) refuses to start with a config-file channel at a metadata address, naming the channel', async () => {
    const gateway = await startGateway({
      expectExit: true,
      config: `
channels:
  - { name: fine, baseUrl: "http://127.0.0.1:9/v1", models: [m] }
  - { name: instance-meta, baseUrl: "http://169.254.169.254/latest", models: [m] }
`,
    });
    try {
      expect(await gateway.exited).toBe(1);
      expect(gateway.output()).toContain(
        "channels[1].baseUrl: channel 'instance-meta' points at an address the gateway does not connect to: 169.254.169.254 is a cloud metadata address",
      );
    } finally {
      removeDir(gateway.dataDir);
    }
  });
});
