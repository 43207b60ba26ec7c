import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGatewayCommand } from './support/gateway-command';
import { removeDir, tempDir } from './support/gateway-process';

const SECRET = 'sk-upstream-never-printed-0123456789';

/**
 * `node main.js check-config` in a deploy pipeline: the config file in git checked as a start
 * would check it, with no store, no master key and nothing written.
 */
describe('check-config (built gateway)', () => {
  let dir: string;
  beforeAll(() => (dir = tempDir('synapse-check-config-')));
  afterAll(() => removeDir(dir));

  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('passes a file a start would take, says what it holds, and which names must be in the store', async () => {
    const path = file(
      'good.yaml',
      `
channels:
  - { name: openai, baseUrl: "https://api.openai.com/v1", apiKey: "\${OPENAI_API_KEY}", models: [gpt-4o-mini] }
routes:
  - { name: smart, targets: [{ channel: openai, model: gpt-4o-mini }, { channel: made-in-the-console, model: m }] }
keys:
  - { name: ci, models: ["*"] }
`,
    );
    const run = await runGatewayCommand(['check-config', path], { OPENAI_API_KEY: SECRET });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `${path}: valid (1 channel, 1 route, 1 key, 0 users, 0 roles, 0 teams, 0 prices, 0 notification channels, 0 alert rules)`,
    );
    expect(run.stdout).toContain("routes[0].targets[1].channel: 'made-in-the-console' is not in the file");
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('fails a file a start would refuse, naming every problem by its path, and repeats no value', async () => {
    const path = file(
      'bad.yaml',
      `
channels:
  - { name: a, baseUrl: "ftp://files.example.com", apiKey: ${SECRET}, models: [m] }
  - { name: b, baseUrl: "https://api.example.com/v1", apiKey: ${SECRET}, models: [m], colour: blue }
`,
    );
    const run = await runGatewayCommand(['check-config', path], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Invalid config file ${path}`);
    expect(run.stderr).toContain('channels[0].baseUrl: must be an http(s) URL');
    expect(run.stderr).toContain("channels[1]: unknown field 'colour'");
    expect(run.stdout + run.stderr).not.toContain(SECRET);

    const unset = file(
      'unset.yaml',
      'channels:\n  - { name: b, baseUrl: "https://x.example/v1", apiKey: "${MISSING_KEY}" }\n',
    );
    const variable = await runGatewayCommand(['check-config', unset], {});
    expect(variable.code).toBe(1);
    expect(variable.stderr).toContain('channels[0].apiKey: environment variable MISSING_KEY is not set');

    const refused = file(
      'refused.yaml',
      `channels:\n  - { name: a, baseUrl: "http://169.254.169.254/v1", models: [m] }\n`,
    );
    const address = await runGatewayCommand(['check-config', refused], {});
    expect(address.code).toBe(1);
    expect(address.stderr).toContain(
      "channels[0].baseUrl: channel 'a' points at an address the gateway does not connect to: 169.254.169.254 is",
    );
  });

  it('checks SYNAPSE_CONFIG when given no file, and says what to give when neither is there', async () => {
    const path = file('env.yaml', 'keys:\n  - { name: k }\n');
    const fromEnv = await runGatewayCommand('check-config', { SYNAPSE_CONFIG: path });
    expect([fromEnv.code, fromEnv.stdout]).toEqual([0, expect.stringContaining(`${path}: valid (0 channels`)]);
    const none = await runGatewayCommand('check-config', {});
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('give the file (node main.js check-config synapse.yaml) or set SYNAPSE_CONFIG');
  });
});
