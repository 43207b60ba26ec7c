import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { accessToken, graphql as gqlRequest } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';

const OWNER = { email: 'owner@example.com', password: 'e2e-owner-password' };
const CREATE_KEY = 'mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret key { id } } }';
const READ_LOG = `query($id: ID!) { requestLog(id: $id) { id keyId status errorClass requestHeaders { name value } } }`;

interface Logged {
  id: string;
  keyId: string | null;
  status: number;
  errorClass: string | null;
  requestHeaders: { name: string; value: string }[] | null;
}

/** The caller's request headers in the request log, read over GraphQL from the built gateway. */
describe('request headers in the log (built gateway, openai SDK)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;
  let owner: string;
  let key: { secret: string; id: string };
  /** Everything GraphQL answered in this suite, to look for secrets in. */
  const answered: string[] = [];

  async function logged(id: string): Promise<Logged> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const body = await gqlRequest(gateway.url, READ_LOG, owner, { id });
      answered.push(JSON.stringify(body));
      const entry = body.data?.['requestLog'] as Logged | undefined;
      if (entry) return entry;
      if (Date.now() > deadline) throw new Error(`${id} was not logged: ${JSON.stringify(body.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const headersOf = (entry: Logged) => Object.fromEntries((entry.requestHeaders ?? []).map((h) => [h.name, h.value]));

  beforeAll(async () => {
    upstream = await startMockUpstream();
    dataDir = tempDir();
    gateway = await startGateway({
      dataDir,
      env: {
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        HEALTH_CHECK_INTERVAL_MS: '0',
        LOG_FLUSH_INTERVAL_MS: '50',
      },
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
`,
    });
    owner = await accessToken(gateway.url, OWNER.email, OWNER.password);
    const body = await gqlRequest(gateway.url, CREATE_KEY, owner, { input: { name: 'headers' } });
    const created = body.data?.['createGatewayKey'] as { secret: string; key: { id: string } };
    key = { secret: created.secret, id: created.key.id };
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) removeDir(dataDir);
  });

  it("shows the SDK's identifying headers in the call's details, and not its key", async () => {
    const client = new OpenAI({
      apiKey: key.secret,
      baseURL: gateway.baseURL,
      organization: 'org-synapse-e2e',
      maxRetries: 0,
      defaultHeaders: { cookie: 'session=cookie-secret-0123', 'x-api-key': 'sk-extra-0123456789abcdefghij' },
    });
    const { response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const entry = await logged(response.headers.get('x-request-id') as string);
    expect(entry).toMatchObject({ keyId: key.id, status: 200 });
    const headers = headersOf(entry);
    expect(headers['user-agent']).toMatch(/^OpenAI\/JS /);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'openai-organization': 'org-synapse-e2e',
      'x-stainless-lang': 'js',
      'x-stainless-retry-count': '0',
    });
    expect(headers['x-stainless-package-version']).toMatch(/^\d+\.\d+\.\d+/);
    for (const name of ['authorization', 'x-api-key', 'cookie', 'host']) expect(headers[name]).toBeUndefined();
  });

  it('keeps the headers of a refused call too, and redacts a key pasted into a kept header', async () => {
    const leaked = 'sk-leaked0123456789abcdefghij';
    const response = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk-not-a-gateway-key-0123456789',
        'content-type': 'application/json',
        'user-agent': `curl/8.5.0 ${leaked}`,
        'x-request-id': 'caller-trace-42',
      },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(401);
    const entry = await logged(response.headers.get('x-request-id') as string);
    expect(entry).toMatchObject({ keyId: null, status: 401, errorClass: 'invalid_api_key' });
    expect(headersOf(entry)).toEqual({
      'user-agent': '[redacted]',
      'content-type': 'application/json',
      accept: '*/*',
      'accept-encoding': expect.any(String),
      'content-length': expect.stringMatching(/^\d+$/),
      'x-request-id': 'caller-trace-42',
    });
  });

  it('has no authorization value anywhere: GraphQL answers, the database files, the gateway output', async () => {
    const secrets = [
      key.secret,
      'sk-not-a-gateway-key',
      'sk-extra-0123456789',
      'cookie-secret-0123',
      'sk-leaked0123456789',
    ];
    const files = readdirSync(dataDir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(dataDir, entry.name)).toString('latin1'));
    // The files do hold the logged headers: what is looked for would be there if it were stored.
    expect(files.join('\n')).toContain('caller-trace-42');
    for (const secret of secrets) {
      for (const text of [...answered, ...files, gateway.output()]) expect(text).not.toContain(secret);
    }
    expect(answered.join('\n')).toContain('org-synapse-e2e');
  });
});
