import OpenAI from 'openai';
import { setTimeout as sleep } from 'node:timers/promises';
import { graphql as gqlRequest } from './support/admin-session';
import { apiError } from './support/openai-calls';
import { startOwnedGateway, type OwnedGateway } from './support/owned-gateway';

interface CreatedKey {
  secret: string;
  key: { id: string; name: string };
}

const CREATE = `mutation($input: CreateGatewayKeyInput!) {
  createGatewayKey(input: $input) { secret key { id name } } }`;
const ROTATE = `mutation($id: ID!, $grace: Int!) {
  rotateGatewayKey(id: $id, graceSeconds: $grace) { secret key { id name } } }`;
const REVOKE = 'mutation($id: ID!) { revokeGatewayKey(id: $id) { revokedAt } }';
const LIST = '{ gatewayKeys { name } }';

/** Gateway keys created, rotated, restricted and revoked through GraphQL, used at once on /v1. */
describe('gateway key lifecycle through the admin API (built gateway, openai SDK)', () => {
  let setup: OwnedGateway;

  beforeAll(async () => {
    setup = await startOwnedGateway({ name: 'chan', models: ['gpt-4o-mini', 'text-embedding-3-small'] });
  });

  afterAll(() => setup?.stop());

  const graphql = (query: string, variables?: Record<string, unknown>) =>
    gqlRequest(setup.gateway.url, query, setup.owner, variables);

  async function create(input: Record<string, unknown>): Promise<CreatedKey> {
    const body = await graphql(CREATE, { input });
    expect(body.errors).toBeUndefined();
    return body.data?.['createGatewayKey'] as CreatedKey;
  }

  const clientOf = (secret: string) => new OpenAI({ apiKey: secret, baseURL: setup.gateway.baseURL, maxRetries: 0 });
  const chat = (secret: string) =>
    clientOf(secret).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const embed = (secret: string) =>
    clientOf(secret).embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });

  it('serves a created key with the secret shown once, and its rotation with both secrets during the grace', async () => {
    const { secret, key } = await create({ name: 'app' });
    expect((await chat(secret)).choices[0].message.content).toBe('Hello from the mock upstream.');

    const rotated = await graphql(ROTATE, { id: key.id, grace: 1 });
    expect(rotated.errors).toBeUndefined();
    const next = (rotated.data?.['rotateGatewayKey'] as CreatedKey).secret;
    expect(next).not.toBe(secret);
    await chat(next);
    await chat(secret);
    await sleep(1_100);
    const expired = await apiError(chat(secret));
    expect([expired.status, expired.code]).toEqual([401, 'invalid_api_key']);
    await chat(next);
  });

  it('refuses a revoked key at once with revoked_api_key', async () => {
    const { secret, key } = await create({ name: 'to-revoke' });
    await chat(secret);
    expect((await graphql(REVOKE, { id: key.id })).errors).toBeUndefined();
    const error = await apiError(chat(secret));
    expect([error.status, error.code]).toEqual([401, 'revoked_api_key']);
  });

  it('keeps a key restricted to embeddings off chat with 403 endpoint_not_allowed', async () => {
    const { secret } = await create({ name: 'embed-only', endpoints: ['embeddings'] });
    expect((await embed(secret)).data).toHaveLength(1);
    const error = await apiError(chat(secret));
    expect([error.status, error.code]).toEqual([403, 'endpoint_not_allowed']);
  });

  it('lets a key with an IP allow-list in only from those addresses', async () => {
    const outside = await create({ name: 'office', ipAllow: ['10.0.0.0/8'] });
    const error = await apiError(chat(outside.secret));
    expect([error.status, error.code]).toEqual([401, 'ip_not_allowed']);
    const local = await create({ name: 'local', ipAllow: ['127.0.0.0/8', '::1/128'] });
    await chat(local.secret);
  });

  it('refuses a malformed CIDR with BAD_USER_INPUT and stores nothing', async () => {
    const body = await graphql(CREATE, { input: { name: 'broken', ipAllow: ['10.0.0.300/8'] } });
    expect(body.errors?.map((e) => [e.extensions?.['code'], e.message])).toEqual([
      ['BAD_USER_INPUT', "ipAllow[0]: '10.0.0.300/8' is not a valid CIDR"],
    ]);
    const listed = await graphql(LIST);
    expect((listed.data?.['gatewayKeys'] as { name: string }[]).map((k) => k.name)).not.toContain('broken');
  });

  it('enforces limits set through the admin API at once', async () => {
    const { secret } = await create({ name: 'one-a-minute', limits: { rpm: 1 } });
    const client = clientOf(secret);
    const ask = () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await ask();
    const error = await apiError(ask());
    expect(error.status).toBe(429);
    expect(error.headers?.get('x-ratelimit-limit-requests')).toBe('1');
  });
});
