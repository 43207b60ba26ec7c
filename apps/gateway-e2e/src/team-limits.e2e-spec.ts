import OpenAI from 'openai';
import { graphql as gqlRequest } from './support/admin-session';
import { apiError } from './support/openai-calls';
import { startOwnedGateway, type OwnedGateway } from './support/owned-gateway';

const CREATE_TEAM = 'mutation($input: CreateTeamInput!) { createTeam(input: $input) { id limits { rpm } } }';
const CREATE_KEY = 'mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret key { id } } }';
const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }';
const UPDATE_USER = `mutation($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) { id limits { rpm } } }`;

/** Limits of a team over all its keys, and a user's limits set through GraphQL, met with the openai SDK. */
describe('team and user limits through the admin API (built gateway, openai SDK)', () => {
  let setup: OwnedGateway;

  beforeAll(async () => {
    setup = await startOwnedGateway({ name: 'mock', models: ['gpt-4o-mini'] });
  });

  afterAll(() => setup?.stop());

  /** A GraphQL operation as the owner; fails the test on any error. */
  async function admin<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = await gqlRequest(setup.gateway.url, query, setup.owner, variables);
    expect(body.errors).toBeUndefined();
    return Object.values(body.data ?? {})[0] as T;
  }

  const createKey = async (input: Record<string, unknown>) =>
    (await admin<{ secret: string }>(CREATE_KEY, { input })).secret;
  const clientOf = (secret: string) => new OpenAI({ apiKey: secret, baseURL: setup.gateway.baseURL, maxRetries: 0 });
  const ask = (client: OpenAI) =>
    client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

  it("lets the team's keys together make exactly its requests per minute, then names the team", async () => {
    const team = await admin<{ id: string }>(CREATE_TEAM, { input: { name: 'research', limits: { rpm: 2 } } });
    const a = clientOf(await createKey({ name: 'research-a', teamId: team.id }));
    const b = clientOf(await createKey({ name: 'research-b', teamId: team.id }));

    expect((await ask(a)).choices[0].message.content).toBeTruthy();
    expect((await ask(b)).choices[0].message.content).toBeTruthy();
    const calls = setup.upstream.requests.length;
    for (const client of [a, b]) {
      const error = await apiError(ask(client));
      expect(error.status).toBe(429);
      expect(error.code).toBe('rate_limit_exceeded');
      expect(error.type).toBe('requests');
      expect(error.message).toContain("This API key's team is over its limit of 2 requests per minute");
      expect(error.headers?.get('x-ratelimit-limit-requests')).toBe('2');
      expect(error.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(setup.upstream.requests.length).toBe(calls);
  });

  it("enforces a user's limits set through updateUser at once, and lifts them when cleared", async () => {
    const user = await admin<{ id: string }>(CREATE_USER, { input: { email: 'dev@example.com', role: 'member' } });
    const dev = clientOf(await createKey({ name: 'dev', userId: user.id }));
    await ask(dev);
    await ask(dev);

    const limited = await admin<{ limits: { rpm: number } }>(UPDATE_USER, {
      id: user.id,
      input: { limits: { rpm: 1 } },
    });
    expect(limited.limits.rpm).toBe(1);
    // Counted from the change on: one more call, then the user's limit.
    await ask(dev);
    const error = await apiError(ask(dev));
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toContain("This API key's user is over its limit of 1 requests per minute");

    await admin(UPDATE_USER, { id: user.id, input: { limits: null } });
    expect((await ask(dev)).choices[0].message.content).toBeTruthy();
  });
});
