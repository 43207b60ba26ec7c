import {
  alertScopeOf,
  ConfigFileError,
  loadConfigFile,
  type ConfigFile,
  type EgressPolicy,
} from '@synapse/gateway/config';

/**
 * Channels and webhooks of the file at addresses the gateway will not dial. Only what needs no
 * DNS is checked (IP literals, metadata names): the start must not depend on name resolution, and
 * host names are checked at every connection anyway.
 */
export function refusedAddresses(config: ConfigFile, egress: EgressPolicy): string[] {
  const channels = config.channels.flatMap((channel, index) => {
    const refusal = egress.refusalOfUrl(channel.baseUrl);
    return refusal
      ? [
          `channels[${index}].baseUrl: channel '${channel.name}' points at an address the gateway does not connect to: ${refusal}`,
        ]
      : [];
  });
  const notifiers = config.notificationChannels.flatMap((channel, index) => {
    const refusal = channel.webhookUrl ? egress.refusalOfUrl(channel.webhookUrl) : null;
    return refusal
      ? [`notificationChannels[${index}].webhookUrl: points at an address the gateway does not connect to: ${refusal}`]
      : [];
  });
  return [...channels, ...notifiers];
}

/**
 * Names the file uses without declaring them: a route's channel, an alert's channel, key or team.
 * They may exist in the store (made through the admin API); if not, the start stops on them.
 */
export function namesFromTheStore(config: ConfigFile): string[] {
  const declared = {
    channel: new Set(config.channels.map((c) => c.name)),
    key: new Set(config.keys.map((k) => k.name)),
    team: new Set(config.teams.map((t) => t.name)),
  };
  const notes: string[] = [];
  config.routes.forEach((route, index) =>
    route.targets.forEach((target, t) => {
      if (!declared.channel.has(target.channel)) {
        notes.push(`routes[${index}].targets[${t}].channel: '${target.channel}' is not in the file`);
      }
    }),
  );
  config.alerts.forEach((rule, index) => {
    const { kind, name } = alertScopeOf(rule);
    const names = declared[kind as keyof typeof declared];
    if (names && name !== null && !names.has(name)) {
      notes.push(`alerts[${index}].scope.${kind}: '${name}' is not in the file`);
    }
  });
  return notes;
}

export interface CheckConfigOptions {
  file: string | undefined;
  egress: EgressPolicy;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/**
 * `node main.js check-config [file]`: the file checked as a start would check it, without a store
 * or a master key (for CI, before a deploy). 0 when a start would take it, 1 when it would stop.
 */
export function runCheckConfig(options: CheckConfigOptions): number {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const file = options.file;
  if (!file) {
    err('check-config: give the file (node main.js check-config synapse.yaml) or set SYNAPSE_CONFIG');
    return 1;
  }
  let config: ConfigFile;
  try {
    config = loadConfigFile(file, options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    err(error.message);
    return 1;
  }
  const refused = refusedAddresses(config, options.egress);
  if (refused.length) {
    err(new ConfigFileError(file, refused).message);
    return 1;
  }
  const notes = namesFromTheStore(config);
  if (notes.length) {
    out(`${file}: names the start looks up in the store (it stops if one is not there):`);
    for (const note of notes) out(`  - ${note}`);
  }
  out(`${file}: valid (${summary(config)})`);
  return 0;
}

function summary(config: ConfigFile): string {
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return [
    count(config.channels.length, 'channel'),
    count(config.routes.length, 'route'),
    count(config.keys.length, 'key'),
    count(config.users.length, 'user'),
    count(config.roles.length, 'role'),
    count(config.teams.length, 'team'),
    count(Object.keys(config.prices).length, 'price'),
    count(config.notificationChannels.length, 'notification channel'),
    count(config.alerts.length, 'alert rule'),
  ].join(', ');
}
