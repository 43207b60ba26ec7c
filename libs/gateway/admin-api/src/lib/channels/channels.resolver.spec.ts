import { deriveMasterKey, openValues, SecretBox } from '@synapse/crypto';
import {
  startAdminApiTestApp,
  TEST_SECRET,
  type AdminApiTestApp,
  type GqlResponse,
} from '../testing/admin-api-test-app';
import { ChannelsResolver } from './channels.resolver';

const FIELDS = 'id name type baseUrl apiKeyHint models enabled headerNames timeouts { connectMs firstByteMs totalMs }';
const LIST = `{ channels { ${FIELDS} } }`;
const GET = `query($id: ID!) { channel(id: $id) { ${FIELDS} } }`;
const CREATE = `mutation($input: CreateChannelInput!) { createChannel(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateChannelInput!) { updateChannel(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteChannel(id: $id) }';
const TEST = 'mutation($id: ID!) { testChannel(id: $id) { ok latencyMs error } }';
const UPSERT_ROUTE = 'mutation($input: RouteInput!) { upsertRoute(input: $input) { name } }';

const API_KEY = 'sk-upstream-secret-7f3a';
const secrets = new SecretBox(deriveMasterKey(TEST_SECRET));

/** The channel operations over GraphQL, as the gateway serves them, on an in-memory store. */
describe(ChannelsResolver.name, () => {
  let t: AdminApiTestApp;
  let token: string;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
    token = await t.tokenFor('operator');
  });

  afterAll(() => t.app.close());

  beforeEach(() => {
    t.routes.routes.clear();
    t.channels.channels.clear();
    t.bus.published.length = 0;
  });

  const codes = (response: GqlResponse) => response.errors?.map((e) => e.extensions?.['code']);
  const create = (input: Record<string, unknown>) => t.graphql(CREATE, { token, variables: { input } });
  const created = async (input: Record<string, unknown>) => {
    const response = await create(input);
    expect(response.errors).toBeUndefined();
    return (response.data as { createChannel: { id: string } }).createChannel;
  };
  const base = { name: 'openai-main', baseUrl: 'https://api.example.com/v1', models: ['gpt-4o-mini'] };

  it('creates a channel with a write-only key: the answer, the list and the store hold only its hint', async () => {
    const response = await create({
      ...base,
      apiKey: API_KEY,
      headers: [{ name: 'x-team', value: 'team-secret-value' }],
      timeouts: { totalMs: 5000 },
    });
    expect(response.errors).toBeUndefined();
    const channel = (response.data as { createChannel: Record<string, unknown> }).createChannel;
    expect(channel).toEqual({
      id: expect.any(String),
      name: 'openai-main',
      type: 'OPENAI',
      baseUrl: 'https://api.example.com/v1',
      apiKeyHint: '…7f3a',
      models: ['gpt-4o-mini'],
      enabled: true,
      headerNames: ['x-team'],
      timeouts: { connectMs: null, firstByteMs: null, totalMs: 5000 },
    });
    expect(JSON.stringify(response)).not.toMatch(/secret/);

    const stored = await t.channels.findById(channel['id'] as string);
    expect(stored?.apiKeyEncrypted).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(API_KEY);
    expect(secrets.decrypt(stored?.apiKeyEncrypted as string)).toBe(API_KEY);
    expect(t.bus.published).toEqual(['catalog']);

    const list = await t.graphql(LIST, { token: await t.tokenFor('auditor') });
    expect(list.data).toEqual({ channels: [channel] });
    const one = await t.graphql(GET, { token, variables: { id: channel['id'] } });
    expect(one.data).toEqual({ channel });
  });

  it('keeps the key when apiKey is left out, replaces it when given, removes it when null or empty', async () => {
    const { id } = await created({ ...base, apiKey: API_KEY });
    const update = (input: Record<string, unknown>) => t.graphql(UPDATE, { token, variables: { id, input } });
    const sealed = async () => (await t.channels.findById(id))?.apiKeyEncrypted ?? null;
    const first = await sealed();

    expect((await update({ enabled: false })).data).toMatchObject({ updateChannel: { apiKeyHint: '…7f3a' } });
    expect(await sealed()).toBe(first);

    expect((await update({ apiKey: '  sk-rotated-upstream-9b1c\n' })).data).toMatchObject({
      updateChannel: { apiKeyHint: '…9b1c', enabled: false },
    });
    expect(secrets.decrypt((await sealed()) as string)).toBe('sk-rotated-upstream-9b1c');

    expect((await update({ apiKey: null })).data).toMatchObject({ updateChannel: { apiKeyHint: null } });
    expect(await sealed()).toBeNull();
    await update({ apiKey: API_KEY });
    expect((await update({ apiKey: '' })).data).toMatchObject({ updateChannel: { apiKeyHint: null } });
    expect(t.bus.published).toHaveLength(6);
  });

  it('replaces headers and timeouts whole, and clears them with null', async () => {
    const { id } = await created({ ...base, headers: [{ name: 'a', value: '1' }], timeouts: { connectMs: 100 } });
    const update = (input: Record<string, unknown>) => t.graphql(UPDATE, { token, variables: { id, input } });
    expect((await update({ name: 'renamed', models: ['m1', 'm2'] })).data).toMatchObject({
      updateChannel: { name: 'renamed', models: ['m1', 'm2'], headerNames: ['a'], timeouts: { connectMs: 100 } },
    });
    await update({ headers: [{ name: 'b', value: 'header-secret-2' }], timeouts: { totalMs: 9000 } });
    const stored = await t.channels.findById(id);
    expect(stored).toMatchObject({ timeouts: { totalMs: 9000 } });
    // Header values are sealed like the API key: names readable, values only under the master key.
    expect(JSON.stringify(stored)).not.toContain('header-secret-2');
    const box = new SecretBox(deriveMasterKey(TEST_SECRET));
    expect(openValues(stored?.headers ?? {}, (v) => box.decrypt(v))).toEqual({ b: 'header-secret-2' });
    // Left out, they stay as stored (not sealed twice).
    await update({ name: 'renamed-again' });
    expect((await t.channels.findById(id))?.headers).toEqual(stored?.headers);
    await update({ headers: null, timeouts: null });
    expect(await t.channels.findById(id)).toMatchObject({ headers: {}, timeouts: {} });
  });

  it.each([
    [{ name: 'bad name' }, 'name: must be 1-64 letters, digits, dots, dashes or underscores'],
    [{ baseUrl: 'ftp://example.com' }, 'baseUrl: must be an http(s) URL'],
    [
      { baseUrl: 'https://user:s3cret@example.com/v1' },
      'baseUrl: must not hold a user name or password: give the key as apiKey, or in headers, which are kept sealed',
    ],
    [{ models: [] }, 'models: must list at least one model'],
    [{ timeouts: { totalMs: 0 } }, 'timeouts.totalMs: must be positive'],
    [{ headers: [{ name: 'x y', value: 'v' }] }, "headers[0].name: 'x y' is not a valid header name"],
    [{ headers: [{ name: 'Content-Type', value: 'v' }] }, "headers[0].name: 'Content-Type' is set by the gateway"],
    // undici refuses it from a caller ('expect header not supported'): every call failed.
    [
      { headers: [{ name: 'Expect', value: '100-continue' }] },
      "headers[0].name: 'Expect' is managed by the gateway's HTTP client",
    ],
    [
      {
        headers: [
          { name: 'x-a', value: 'v' },
          { name: 'X-A', value: 'w' },
        ],
      },
      "headers[1].name: 'X-A' is given twice",
    ],
    [
      { headers: [{ name: 'x-a', value: 'line\r\nbreak' }] },
      'headers[0].value: must be printable ASCII or Latin-1, without line breaks',
    ],
    // undici refuses to send it: every call failed as 502 upstream_unreachable.
    [
      { headers: [{ name: 'x-team', value: '研发' }] },
      'headers[0].value: must be printable ASCII or Latin-1, without line breaks',
    ],
    [{ apiKey: 'sk-with space-1234' }, 'apiKey: must be printable ASCII without spaces'],
    [{ apiKey: 'sk-研发-1234' }, 'apiKey: must be printable ASCII without spaces'],
  ])('refuses %j with BAD_USER_INPUT and saves nothing', async (change, message) => {
    const response = await create({ ...base, ...change });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].message).toBe(message);
    expect(t.channels.channels.size).toBe(0);
    expect(t.bus.published).toEqual([]);
  });

  it('makes a move to another origin bring the key and headers again, so they never follow it unasked', async () => {
    const { id } = await created({ ...base, apiKey: API_KEY, headers: [{ name: 'api-key', value: 'h-secret' }] });
    const update = (input: Record<string, unknown>) => t.graphql(UPDATE, { token, variables: { id, input } });
    const before = await t.channels.findById(id);

    const moved = await update({ baseUrl: 'https://elsewhere.example.net/v1' });
    expect(codes(moved)).toEqual(['BAD_USER_INPUT']);
    expect(moved.errors?.[0].message).toMatch(
      /^apiKey and headers: the channel moves to another origin \(scheme, host or port\); give apiKey and headers again/,
    );
    expect(await t.channels.findById(id)).toEqual(before);

    // Same host, another path: nothing to bring.
    expect(codes(await update({ baseUrl: 'https://api.example.com/v2' }))).toBeUndefined();
    const withBoth = await update({ baseUrl: 'https://elsewhere.example.net/v1', apiKey: null, headers: null });
    expect(codes(withBoth)).toBeUndefined();
    expect(await t.channels.findById(id)).toMatchObject({ apiKeyEncrypted: null, headers: {} });
  });

  it('refuses a second channel of the same name, on create and on rename', async () => {
    await created(base);
    const { id } = await created({ ...base, name: 'other' });
    const again = await create(base);
    expect(codes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0].message).toBe("name: a channel named 'openai-main' already exists");
    const rename = await t.graphql(UPDATE, { token, variables: { id, input: { name: 'openai-main' } } });
    expect(rename.errors?.[0].message).toBe("name: a channel named 'openai-main' already exists");
  });

  it('never echoes an API key in an error, whatever else is wrong with the input', async () => {
    const key = 'sk-never-echo-me-0123456789';
    for (const input of [
      { name: 'x', apiKey: key, models: ['m'] }, // baseUrl missing
      { ...base, apiKey: key, colour: 'blue' }, // unknown field
      { ...base, apiKey: key, enabled: 'yes' }, // wrong type elsewhere
      { ...base, apiKey: key, type: key }, // the key pasted into the wrong field
      { ...base, apiKey: `${key} with spaces` }, // refused by the service
      { ...base, headers: [{ name: 'api-key', value: 12345678901234 }] },
    ]) {
      const response = await create(input);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(response)).not.toMatch(/never-echo|12345678901234/);
    }
    const missing = await create({ name: 'x', apiKey: key, models: ['m'] });
    expect(missing.errors?.[0].message).toBe(
      'Variable "$input" got an invalid value: Field "baseUrl" of required type "String!" was not provided.',
    );
  });

  it('refuses to delete a channel that routes target, naming them, then deletes it once they are gone', async () => {
    const { id } = await created(base);
    for (const name of ['team-a', 'team-b']) {
      const route = await t.graphql(UPSERT_ROUTE, {
        token,
        variables: { input: { name, targets: [{ channel: 'openai-main', model: 'gpt-4o-mini' }] } },
      });
      expect(route.errors).toBeUndefined();
    }
    const refused = await t.graphql(DELETE, { token, variables: { id } });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0].message).toBe(
      "Channel 'openai-main' is a target of the routes 'team-a', 'team-b': take it out of their targets first.",
    );
    expect(t.channels.channels.size).toBe(1);

    t.routes.routes.clear();
    t.bus.published.length = 0;
    expect((await t.graphql(DELETE, { token, variables: { id } })).data).toEqual({ deleteChannel: true });
    expect(t.channels.channels.size).toBe(0);
    expect(t.bus.published).toEqual(['catalog']);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    for (const [query, variables] of [
      [GET, { id: 'nope' }],
      [UPDATE, { id: 'nope', input: { enabled: false } }],
      [DELETE, { id: 'nope' }],
      [TEST, { id: 'nope' }],
    ] as const) {
      const response = await t.graphql(query, { token, variables });
      expect(codes(response)).toEqual(['NOT_FOUND']);
      expect(response.errors?.[0].message).toBe("No channel has the id 'nope'.");
    }
  });

  it('tests an enabled channel through the proxy, and refuses a disabled or not yet served one', async () => {
    const created = await create({
      name: 'openai-main',
      baseUrl: 'https://api.openai.com/v1',
      models: ['m'],
      apiKey: API_KEY,
    });
    const id = (created.data?.['createChannel'] as { id: string }).id;
    t.routing.tester.tested.length = 0;

    const tested = await t.graphql(TEST, { token, variables: { id } });
    expect(tested.data).toEqual({ testChannel: { ok: true, latencyMs: 42, error: null } });
    expect(t.routing.tester.tested).toEqual([id]);

    t.routing.tester.unserved.add(id);
    expect(codes(await t.graphql(TEST, { token, variables: { id } }))).toEqual(['BAD_USER_INPUT']);
    t.routing.tester.unserved.clear();

    await t.graphql(UPDATE, { token, variables: { id, input: { enabled: false } } });
    const disabled = await t.graphql(TEST, { token, variables: { id } });
    expect(codes(disabled)).toEqual(['BAD_USER_INPUT']);
    expect(disabled.errors?.[0].message).toBe("Channel 'openai-main' is disabled: enable it to test it.");
    expect(t.routing.tester.tested).toEqual([id, id]);
  });
});
