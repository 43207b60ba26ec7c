import { EgressPolicy, type GatewayEnv } from '@synapse/gateway/config';
import { runCheckConfig, runRotateMasterKey } from '@synapse/gateway/provisioning';

/** Operator commands: `node main.js <name>` runs one with the gateway's environment, without serving. */
export const COMMANDS = new Map<string, (env: GatewayEnv) => Promise<number>>([
  [
    'check-config',
    async (env) =>
      runCheckConfig({
        file: process.argv[3] ?? env.SYNAPSE_CONFIG,
        egress: new EgressPolicy(env.UPSTREAM_ALLOWED_PRIVATE_CIDRS),
      }),
  ],
  [
    'rotate-master-key',
    (env) =>
      runRotateMasterKey({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DATA_DIR,
        secret: env.SYNAPSE_SECRET,
        previousSecrets: env.SYNAPSE_SECRET_PREVIOUS,
      }),
  ],
]);
