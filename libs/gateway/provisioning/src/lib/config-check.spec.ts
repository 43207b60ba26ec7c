import { EgressPolicy, parseConfigFile } from '@synapse/gateway/config';
import { namesFromTheStore, refusedAddresses } from './config-check';

const parse = (text: string) => parseConfigFile(text, 'synapse.yaml', {});

describe('namesFromTheStore', () => {
  it("lists the routes' channels and the alerts' channels, keys and teams the file does not declare", () => {
    const config = parse(`
channels:
  - { name: here, baseUrl: "https://api.example.com/v1", models: [m] }
keys:
  - { name: ci }
routes:
  - { name: r, targets: [{ channel: here, model: m }, { channel: elsewhere, model: m }] }
alerts:
  - { name: a, kind: error_rate, threshold: 5, scope: { channel: here } }
  - { name: b, kind: error_rate, threshold: 5, scope: { key: console-key } }
  - { name: c, kind: error_rate, threshold: 5, scope: { key: ci } }
  - { name: d, kind: error_rate, threshold: 5, scope: { team: research } }
  - { name: e, kind: error_rate, threshold: 5, scope: { model: gpt-4o } }
`);
    expect(namesFromTheStore(config)).toEqual([
      "routes[0].targets[1].channel: 'elsewhere' is not in the file",
      "alerts[1].scope.key: 'console-key' is not in the file",
      "alerts[3].scope.team: 'research' is not in the file",
    ]);
  });
});

describe('refusedAddresses', () => {
  it('names channels and webhooks at addresses the policy refuses, without DNS', () => {
    const config = parse(`
channels:
  - { name: ok, baseUrl: "https://api.example.com/v1", models: [m] }
  - { name: local, baseUrl: "http://127.0.0.1:8000/v1", models: [m] }
  - { name: meta, baseUrl: "http://metadata.google.internal/v1", models: [m] }
notificationChannels:
  - { name: hook, kind: webhook, webhookUrl: "http://169.254.169.254/hook" }
`);
    const problems = refusedAddresses(config, new EgressPolicy([]));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^channels\[1\]\.baseUrl: channel 'local' points at an address/);
    expect(problems[1]).toMatch(/^channels\[2\]\.baseUrl: channel 'meta' .*metadata host name/);
    expect(problems[2]).toMatch(/^notificationChannels\[0\]\.webhookUrl: points at an address/);
    expect(refusedAddresses(config, new EgressPolicy())).toHaveLength(2);
  });
});
