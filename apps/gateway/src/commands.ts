import type { GatewayEnv } from '@synapse/gateway/config';
import { runRotateMasterKey } from '@synapse/gateway/provisioning';

/** Operator commands: `node main.js <name>` runs one with the gateway's environment, without serving. */
export const COMMANDS = new Map<string, (env: GatewayEnv) => Promise<number>>([
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
