// A real OpenID provider (oidc-provider, ESM-only) for the single sign-on tests, run as a child
// process: PORT, USERS ({ accountId: claims }) and CLIENT ({ client_id, client_secret, redirect_uris })
// come from the environment; it prints "ready" once it listens. Sign-in is oidc-provider's
// development login form: any password for a known login.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const users = JSON.parse(process.env.USERS);
const client = JSON.parse(process.env.CLIENT);
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{ ...client, grant_types: ['authorization_code'], response_types: ['code'] }],
  jwks: { keys: [{ ...signingKey, kid: 'e2e-rs256', use: 'sig', alg: 'RS256' }] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  cookies: { keys: ['e2e-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  findAccount: (_ctx, id) => (users[id] ? { accountId: id, claims: () => ({ sub: id, ...users[id] }) } : undefined),
});
provider.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
