import {
  describeWithPostgres,
  POSTGRES_URL,
  runPostgres,
  startMockUpstream,
  type MockUpstream,
} from '@synapse/testing';
import { Client } from 'pg';
import { difyEvents, difySdk } from './support/dify-sdk';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-dify-pg-0123456789abcdefgh';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The gateway-backed conversation store on PostgreSQL (migration 0016), through the built gateway and dify-client. */
describeWithPostgres('Dify ingress conversations on PostgreSQL (built gateway, dify-client SDK)', () => {
  const database = `synapse_dify_e2e_${process.pid}`;
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;
  let sdk: { baseUrl: string; apiKey: string };

  beforeAll(async () => {
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    upstream = await startMockUpstream();
    dataDir = tempDir();
    gateway = await startGateway({
      dataDir,
      env: { DATABASE_URL: POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`), HEALTH_CHECK_INTERVAL_MS: '0' },
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-mock] }
routes:
  - { name: dify, targets: [{ channel: mock, model: gpt-mock }] }
keys:
  - { name: ci, key: ${KEY} }
`,
    });
    sdk = { baseUrl: gateway.baseURL, apiKey: KEY };
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) removeDir(dataDir);
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
  });

  it('keeps a conversation across turns, lists, renames and deletes it', async () => {
    const first = await difySdk<Json>(sdk, 'ChatClient', 'createChatMessage', {}, 'Bonjour', 'eve', false, null);
    const conversationId = first.data?.['conversation_id'] as string;
    const second = await difySdk(sdk, 'ChatClient', 'createChatMessage', {}, 'Encore', 'eve', true, conversationId);
    expect(difyEvents(second.text ?? '').at(-1)).toMatchObject({
      event: 'message_end',
      conversation_id: conversationId,
    });
    expect(upstream.requests.at(-1)?.body['messages']).toEqual([
      { role: 'user', content: 'Bonjour' },
      { role: 'assistant', content: 'Hello from the mock upstream.' },
      { role: 'user', content: 'Encore' },
    ]);
    const messages = await difySdk<Json>(sdk, 'ChatClient', 'getConversationMessages', 'eve', conversationId);
    expect((messages.data?.['data'] as Json[]).map((m) => m['query'])).toEqual(['Bonjour', 'Encore']);
    const renamed = await difySdk<Json>(sdk, 'ChatClient', 'renameConversation', conversationId, 'Salut', 'eve');
    expect(renamed.data).toMatchObject({ id: conversationId, name: 'Salut' });
    const list = await difySdk<Json>(sdk, 'ChatClient', 'getConversations', 'eve');
    expect(list.data?.['data']).toEqual([expect.objectContaining({ id: conversationId, name: 'Salut' })]);
    expect((await difySdk(sdk, 'ChatClient', 'deleteConversation', conversationId, 'eve')).status).toBe(204);
    // The rows are gone from PostgreSQL itself, not only from the gateway's answers.
    const client = new Client({ connectionString: POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`) });
    await client.connect();
    try {
      const left = await client.query('SELECT COUNT(*) AS n FROM dify_messages WHERE conversation_id = $1', [
        conversationId,
      ]);
      expect(Number(left.rows[0].n)).toBe(0);
      const kept = await client.query('SELECT COUNT(*) AS n FROM dify_conversations');
      expect(Number(kept.rows[0].n)).toBe(0);
    } finally {
      await client.end();
    }
    const gone = await difySdk(sdk, 'ChatClient', 'getConversationMessages', 'eve', conversationId);
    expect(gone.error?.status).toBe(404);
  });
  it('keeps a conversation whose query holds a NUL, and refuses a user PostgreSQL could not hold', async () => {
    // Before, PostgreSQL refused the turn after the answer had gone out: the next turn was a 404.
    const first = await difySdk<Json>(
      sdk,
      'ChatClient',
      'createChatMessage',
      {},
      'nul \u0000 here',
      'nul',
      false,
      null,
    );
    const conversationId = first.data?.['conversation_id'] as string;
    const second = await difySdk<Json>(
      sdk,
      'ChatClient',
      'createChatMessage',
      {},
      'again',
      'nul',
      false,
      conversationId,
    );
    expect(second.data?.['conversation_id']).toBe(conversationId);
    const messages = await difySdk<Json>(sdk, 'ChatClient', 'getConversationMessages', 'nul', conversationId);
    expect((messages.data?.['data'] as Json[]).map((m) => m['query'])).toEqual(['nul \ufffd here', 'again']);
    for (const [user, message] of [
      ['eve\u0000', 'user must not contain a NUL character.'],
      ['e'.repeat(256), 'user must be at most 255 characters.'],
    ]) {
      const refused = await difySdk<Json>(sdk, 'ChatClient', 'createChatMessage', {}, 'hi', user, false, null);
      expect(refused.error).toMatchObject({ status: 400, data: { code: 'invalid_param', message } });
      const listed = await difySdk<Json>(sdk, 'ChatClient', 'getConversations', user);
      expect(listed.error).toMatchObject({ status: 400, data: { code: 'invalid_param', message } });
    }
    expect(gateway.output()).not.toMatch(/could not store Dify message/);
  });
});
