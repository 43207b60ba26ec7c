import { ConfigFileError, parseConfigFile } from './config-file';
import { ENDPOINTS } from '@synapse/endpoints';

const example = `
channels:
  - name: openai-main
    type: openai                # any OpenAI-compatible upstream
    baseUrl: http://127.0.0.1:9000/v1
    apiKey: \${OPENAI_API_KEY}
    models: [gpt-4o-mini, text-embedding-3-small]
keys:
  - name: ci
    key: sk-test-0123456789abcdef0123   # optional fixed secret for automation
    models: ["*"]
users:
  - email: admin@example.com
    role: owner
    password: \${ADMIN_PASSWORD}
`;

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigFile(text, 'test.yaml', env);
  } catch (error) {
    if (error instanceof ConfigFileError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfigFile', () => {
  it('reads the documented example with environment variables', () => {
    const config = parseConfigFile(example, 'test.yaml', {
      OPENAI_API_KEY: 'sk-up',
      ADMIN_PASSWORD: 'correct-horse-battery',
    });
    expect(config.channels[0]).toMatchObject({
      name: 'openai-main',
      type: 'openai',
      baseUrl: 'http://127.0.0.1:9000/v1',
      apiKey: 'sk-up',
      models: ['gpt-4o-mini', 'text-embedding-3-small'],
      enabled: true,
    });
    expect(config.keys[0]).toMatchObject({ name: 'ci', key: 'sk-test-0123456789abcdef0123', models: ['*'] });
    expect(config.users[0]).toMatchObject({
      email: 'admin@example.com',
      role: 'owner',
      password: 'correct-horse-battery',
    });
  });

  it('names the path of a missing environment variable', () => {
    expect(problemsOf(example, { ADMIN_PASSWORD: 'correct-horse-battery' })).toEqual([
      'channels[0].apiKey: environment variable OPENAI_API_KEY is not set',
    ]);
  });

  it('supports defaults and the $$ escape', () => {
    const config = parseConfigFile(
      'channels:\n  - {name: a, baseUrl: "${BASE:-http://localhost:1/v1}", models: [m], apiKey: "p$$w"}\n',
      'x',
      {},
    );
    expect(config.channels[0].baseUrl).toBe('http://localhost:1/v1');
    expect(config.channels[0].apiKey).toBe('p$w');
  });

  it('names the path and the problem of every invalid field', () => {
    const problems = problemsOf(`
channels:
  - name: good
    baseUrl: http://127.0.0.1:9000/v1
    models: [m]
  - name: bad
    baseUrl: ftp://example.com
    models: []
    colour: blue
keys:
  - name: k
    key: not-a-key
users:
  - email: nope
    role: king
  - email: short@example.com
    password: hunter22!
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'channels[1].baseUrl: must be an http(s) URL',
        'channels[1].models: must list at least one model',
        "channels[1]: unknown field 'colour'",
        "keys[0].key: must start with 'sk-' followed by at least 20 letters, digits, '-' or '_'",
        'users[0].email: must be an email address',
        'users[0].role: must be one of: owner, admin, operator, auditor, member, or a role declared under roles',
        'users[1].password: must be at least 12 characters',
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('takes endpoint and address allow-lists on keys, and names each bad entry', () => {
    const config = parseConfigFile(
      'keys:\n  - {name: k, endpoints: [embeddings], ipAllow: ["10.0.0.0/8", "2001:db8::/32"]}\n',
      'x',
      {},
    );
    expect(config.keys[0]).toMatchObject({ endpoints: ['embeddings'], ipAllow: ['10.0.0.0/8', '2001:db8::/32'] });
    expect(
      problemsOf(`
keys:
  - {name: k, endpoints: [chat, embeddings], ipAllow: ["10.0.0.0/8", "10.0.0.300/8"]}
  - {name: j, endpoints: [], ipAllow: []}
`),
    ).toEqual([
      `keys[0].endpoints[0]: 'chat' is not one of: ${ENDPOINTS.join(', ')}`,
      "keys[0].ipAllow[1]: '10.0.0.300/8' is not a valid CIDR",
      'keys[1].endpoints: must list at least one endpoint (leave it out for all)',
      'keys[1].ipAllow: must list at least one CIDR block (leave it out for any address)',
    ]);
  });

  it('rejects duplicates and keys owned by unknown users', () => {
    const problems = problemsOf(`
channels:
  - {name: a, baseUrl: "http://x/v1", models: [m]}
  - {name: a, baseUrl: "http://y/v1", models: [m]}
keys:
  - {name: k, user: ghost@example.com}
`);
    expect(problems).toEqual([
      "channels[1].name: duplicate name 'a'",
      "keys[0].user: no user 'ghost@example.com' in users",
    ]);
  });

  it('reads custom roles and teams, and users and keys that refer to them', () => {
    const config = parseConfigFile(
      `
roles:
  - name: key-auditor
    description: Reads keys and the audit trail.
    rules:
      - { action: read, subject: [GatewayKey, AuditEvent] }
      - { action: read, subject: Team, conditions: { id: { $in: "\${user.teamIds}" } } }
users:
  - { email: kay@example.com, role: key-auditor }
  - { email: mo@example.com }
teams:
  - { name: research, members: [mo@example.com], limits: { rpm: 100, monthlyBudgetUsd: 50 } }
keys:
  - { name: research-ci, team: research }
`,
      'test.yaml',
      {},
    );
    expect(config.roles).toEqual([
      {
        name: 'key-auditor',
        description: 'Reads keys and the audit trail.',
        rules: [
          { action: 'read', subject: ['GatewayKey', 'AuditEvent'] },
          { action: 'read', subject: 'Team', conditions: { id: { $in: '${user.teamIds}' } } },
        ],
      },
    ]);
    expect(config.users.map((u) => u.role)).toEqual(['key-auditor', 'member']);
    expect(config.teams).toEqual([
      { name: 'research', members: ['mo@example.com'], limits: { rpm: 100, monthlyBudgetUsd: 50 } },
    ]);
    expect(config.keys[0]).toMatchObject({ name: 'research-ci', team: 'research' });
  });

  it('names bad roles, unknown roles, teams and members by path', () => {
    expect(
      problemsOf(`
roles:
  - { name: owner, rules: [] }
  - { name: Bad Name, rules: [{ action: fly, subject: Route }] }
  - { name: ok-role, rules: [{ action: read, subject: Route, conditions: { id: "\${user.nope}" } }] }
users:
  - { email: a@example.com, role: wizard }
teams:
  - { name: t, members: [ghost@example.com] }
keys:
  - { name: k1, team: nowhere }
  - { name: k2, team: t, user: a@example.com }
`),
    ).toEqual([
      'roles[0].name: is a built-in role',
      'roles[1].name: must be 2-32 lower-case letters, digits and dashes, starting with a letter',
      "roles[1].rules[0]: action: unknown 'fly' (one of manage, create, read, update, delete)",
      "roles[2].rules[0]: conditions: unknown placeholder in '${user.nope}' (known: ${user.id}, ${user.teamIds})",
      "keys[0].team: no team 'nowhere' in teams",
      'keys[1]: a key belongs to a user or a team, not both',
      'users[0].role: must be one of: owner, admin, operator, auditor, member, or a role declared under roles',
      "teams[0].members[0]: no user 'ghost@example.com' in users",
    ]);
  });

  it('reports YAML syntax errors', () => {
    expect(problemsOf('channels: [\n')[0]).toMatch(/^YAML syntax/);
  });

  it('accepts an empty file', () => {
    expect(parseConfigFile('', 'x', {})).toEqual({
      channels: [],
      routes: [],
      keys: [],
      users: [],
      roles: [],
      teams: [],
      prices: {},
      unpricedModels: 'allow',
      notificationChannels: [],
      alerts: [],
    });
  });

  it('reads prices and budgets, and names a bad price or budget by its path', () => {
    const config = parseConfigFile(
      'prices: { "gpt-4o*": { input: 2.5, output: 10 } }\nusers: [{ email: a@b.co, limits: { dailyBudgetUsd: 1.5 } }]',
      'x',
      {},
    );
    expect(config.prices['gpt-4o*']).toEqual({ input: 2.5, output: 10 });
    expect(config.users[0].limits).toEqual({ dailyBudgetUsd: 1.5 });
    expect(() =>
      parseConfigFile(
        'prices: { m: { input: -1, output: 1 } }\nkeys: [{ name: k, limits: { monthlyBudgetUsd: 0 } }]',
        'x',
        {},
      ),
    ).toThrow(/keys\[0\]\.limits\.monthlyBudgetUsd: must be positive[\s\S]*prices\.m\.input: must not be negative/);
  });

  it('reads a cached input price, and names a bad one by its path', () => {
    const config = parseConfigFile('prices: { m: { input: 2, output: 8, cachedInput: 0.5 } }', 'x', {});
    expect(config.prices['m']).toEqual({ input: 2, output: 8, cachedInput: 0.5 });
    expect(() => parseConfigFile('prices: { m: { input: 2, output: 8, cachedInput: -1 } }', 'x', {})).toThrow(
      /prices\.m\.cachedInput: must not be negative/,
    );
  });

  it('reads prices that are not by tokens (per call, per audio minute, per million characters)', () => {
    const config = parseConfigFile(
      'prices: { whisper-1: { perMinute: 0.006 }, tts-1: { perMillionCharacters: 15 }, rerank-v3: { input: 0, output: 0, perCall: 0.002 } }',
      'x',
      {},
    );
    expect(config.prices).toEqual({
      'whisper-1': { input: 0, output: 0, perMinute: 0.006 },
      'tts-1': { input: 0, output: 0, perMillionCharacters: 15 },
      'rerank-v3': { input: 0, output: 0, perCall: 0.002 },
    });
    expect(() => parseConfigFile('prices: { m: { input: 2 } }', 'x', {})).toThrow(
      /prices\.m: give input and output \(USD per million tokens\), or perCall, perMinute or perMillionCharacters/,
    );
    expect(() => parseConfigFile('prices: { m: { perMinute: -0.1 } }', 'x', {})).toThrow(
      /prices\.m\.perMinute: must not be negative/,
    );
  });
});

describe('routes in the config file', () => {
  it('reads routes with defaults', () => {
    const config = parseConfigFile(
      `
channels:
  - {name: a, baseUrl: "http://a/v1", models: [gpt-4o-mini]}
routes:
  - name: gpt-4o-mini
    strategy: weighted
    aliases: [fast]
    fallbacks: [backup]
    retry: {attempts: 2, retryOn: [connect, 5xx]}
    targets:
      - {channel: a, weight: 3}
      - {channel: a, model: other, priority: 1, rpm: 60}
`,
      'x',
      {},
    );
    expect(config.routes[0]).toEqual({
      name: 'gpt-4o-mini',
      strategy: 'weighted',
      aliases: ['fast'],
      fallbacks: ['backup'],
      retry: { attempts: 2, retryOn: ['connect', '5xx'] },
      captureBodies: false,
      targets: [
        { channel: 'a', weight: 3, priority: 0 },
        { channel: 'a', model: 'other', weight: 1, priority: 1, rpm: 60 },
      ],
    });
  });

  it('names bad route fields by path', () => {
    expect(() =>
      parseConfigFile('routes:\n  - {name: r, strategy: fastest, targets: [{channel: a, weight: 0}]}\n', 'x', {}),
    ).toThrow(
      /routes\[0\]\.strategy: must be one of: round-robin, random, weighted, least-latency, least-busy, priority[\s\S]*routes\[0\]\.targets\[0\]\.weight: must be positive/,
    );
  });

  it('refuses channel headers and API keys that HTTP cannot send, naming the header, never the value', () => {
    // Taken before, they failed every call as 502 upstream_unreachable: undici refused the request.
    const channel = (fields: string) =>
      `channels:\n  - { name: a, baseUrl: "https://api.example.com/v1", models: [m], ${fields} }\n`;
    const refused = (fields: string) => () => parseConfigFile(channel(fields), 'x', {});
    expect(refused('headers: { x-team: "研发" }')).toThrow(
      /channels\[0\]\.headers\.x-team: the value must be printable ASCII or Latin-1, without line breaks/,
    );
    expect(refused('headers: { x-team: "a\\nb" }')).toThrow(/channels\[0\]\.headers\.x-team: the value must be/);
    expect(refused('headers: { "bad name": v }')).toThrow(
      /channels\[0\]\.headers\.bad name: is not a valid header name/,
    );
    expect(refused('headers: { Content-Type: v }')).toThrow(
      /channels\[0\]\.headers\.Content-Type: is set by the gateway/,
    );
    expect(refused('headers: { X-A: v, x-a: w }')).toThrow(/channels\[0\]\.headers\.x-a: is given twice/);
    // undici refuses these from a caller ('expect header not supported'): every call failed.
    for (const name of ['Expect', 'Keep-Alive', 'upgrade']) {
      expect(refused(`headers: { ${name}: "100-continue" }`)).toThrow(
        new RegExp(`channels\\[0\\]\\.headers\\.${name}: is managed by the gateway's HTTP client`),
      );
    }
    expect(refused('apiKey: "sk-a b"')).toThrow(/channels\[0\]\.apiKey: must be printable ASCII without spaces/);
    expect(refused('apiKey: "sk-研发"')).toThrow(/channels\[0\]\.apiKey: must be printable ASCII without spaces/);
    try {
      refused('headers: { x-team: "secret-研发" }, apiKey: "sk-secret 1"')();
    } catch (error) {
      expect((error as Error).message).not.toMatch(/secret/);
    }
    // A key read from an environment variable often ends with a line break: it is dropped.
    const parsed = parseConfigFile(channel('apiKey: "${KEY}", headers: { OpenAI-Organization: "org-1 é" }'), 'x', {
      KEY: 'sk-0123\n',
    });
    expect(parsed.channels[0]).toMatchObject({ apiKey: 'sk-0123', headers: { 'OpenAI-Organization': 'org-1 é' } });
  });

  it('refuses a base URL with a user name or password, which calls never sent, and keeps its query', () => {
    const channel = (url: string) =>
      parseConfigFile(`channels:\n  - { name: a, baseUrl: "${url}", models: [m] }\n`, 'x', {});
    expect(() => channel('https://user:s3cret@api.example.com/v1')).toThrow(
      /channels\[0\]\.baseUrl: must not hold a user name or password: give the key as apiKey, or in headers/,
    );
    expect(() => channel('https://user@api.example.com/v1')).toThrow(/must not hold a user name or password/);
    expect(() => channel('https://user:s3cret@api.example.com/v1')).not.toThrow(/s3cret/);
    expect(channel('https://x.services.ai.azure.com/models?api-version=2024-05-01-preview').channels[0].baseUrl).toBe(
      'https://x.services.ai.azure.com/models?api-version=2024-05-01-preview',
    );
  });

  it("refuses channel timeouts and retry waits past Node's longest timer, which fired after 1 ms instead", () => {
    const longest = 2 ** 31 - 1;
    const file = (timeout: number, wait: number) =>
      `channels:\n  - { name: a, baseUrl: "https://api.example.com/v1", models: [m], timeouts: { totalMs: ${timeout} } }\n` +
      `routes:\n  - { name: m, retry: { maxRetryAfterMs: ${wait}, backoffMs: ${wait} }, targets: [{ channel: a }] }\n`;
    expect(() => parseConfigFile(file(longest + 1, longest + 1), 'x', {})).toThrow(
      /channels\[0\]\.timeouts\.totalMs: must be at most 2147483647[\s\S]*routes\[0\]\.retry\.backoffMs: must be at most 2147483647[\s\S]*routes\[0\]\.retry\.maxRetryAfterMs: must be at most/,
    );
    expect(parseConfigFile(file(longest, longest), 'x', {}).channels[0].timeouts).toEqual({ totalMs: longest });
  });

  it('refuses control characters in model and route names, and takes any other text', () => {
    // A NUL, a tab or a line break in a public name is a slip, and forges lines in text logs.
    const route = (name: string, model = 'm') =>
      `routes:\n  - { name: ${JSON.stringify(name)}, targets: [{ channel: a, model: ${JSON.stringify(model)} }] }\n`;
    for (const bad of ['a\u0000b', 'line\r\nbreak', 'tab\there', 'del\u007f']) {
      expect(() => parseConfigFile(route(bad), 'x', {})).toThrow(
        /routes\[0\]\.name: must not contain control characters/,
      );
      expect(() => parseConfigFile(route('r', bad), 'x', {})).toThrow(
        /routes\[0\]\.targets\[0\]\.model: must not contain control characters/,
      );
    }
    expect(parseConfigFile(route('通义千问', 'qwen 中文'), 'x', {}).routes[0]).toMatchObject({ name: '通义千问' });
  });
});
