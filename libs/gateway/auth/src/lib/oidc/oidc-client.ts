import type { OidcSettings } from '@synapse/gateway/config';
import { verifyIdToken, type IdTokenClaims } from './id-token';
import { OidcDiscovery, fetchJson } from './oidc-discovery';
import { OidcFailure } from './oidc-failure';
import type { OidcPending } from './oidc-state-cookie';
import { codeChallenge } from './pkce';

/** What the token endpoint gives back that the gateway uses. */
export interface CodeExchange {
  idToken: string;
  accessToken?: string;
}

/** The relying party's side of the authorization code flow with PKCE, against one provider. */
export class OidcClient {
  constructor(
    private readonly settings: OidcSettings,
    private readonly discovery = new OidcDiscovery(settings),
  ) {}

  /** Where to send the browser to sign in. */
  async authorizationUrl(pending: OidcPending): Promise<string> {
    const url = new URL((await this.discovery.metadata()).authorization_endpoint);
    const params = {
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: codeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }

  /** Redeems the code at the token endpoint, proving with the verifier that we asked for it. */
  async exchangeCode(code: string, verifier: string): Promise<CodeExchange> {
    const metadata = await this.discovery.metadata();
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.settings.redirectUri,
      code_verifier: verifier,
      client_id: this.settings.clientId,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const { clientSecret } = this.settings;
    if (clientSecret) {
      // client_secret_basic is the default (§9); client_secret_post when that is all the provider takes.
      const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
      if (!methods.includes('client_secret_basic') && methods.includes('client_secret_post')) {
        body.set('client_secret', clientSecret);
      } else {
        const credentials = `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(clientSecret)}`;
        headers['authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
      }
    }
    const answer = await this.post(metadata.token_endpoint, body, headers);
    if (typeof answer['id_token'] !== 'string') throw new OidcFailure('token_exchange_failed', 'no id_token');
    const accessToken = typeof answer['access_token'] === 'string' ? answer['access_token'] : undefined;
    return { idToken: answer['id_token'], ...(accessToken && { accessToken }) };
  }

  async verifyIdToken(idToken: string, nonce: string): Promise<IdTokenClaims> {
    const { issuer } = await this.discovery.metadata();
    return verifyIdToken(idToken, this.discovery.keyFor, {
      issuer,
      clientId: this.settings.clientId,
      nonce,
    });
  }

  /** The UserInfo claims, or null when the provider has no endpoint. Must be about the same subject (§5.3.2). */
  async userinfo(accessToken: string, sub: string): Promise<Record<string, unknown> | null> {
    const endpoint = (await this.discovery.metadata()).userinfo_endpoint;
    if (!endpoint) return null;
    const claims = await fetchJson(endpoint, 'userinfo', { headers: { authorization: `Bearer ${accessToken}` } });
    if (claims['sub'] !== sub) throw new OidcFailure('invalid_id_token', 'userinfo is about another subject');
    return claims;
  }

  private async post(url: string, body: URLSearchParams, headers: Record<string, string>) {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new OidcFailure('provider_unavailable', `token endpoint: ${(error as Error).message}`);
    }
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      // Only the error code: the description may quote what was sent.
      const error = typeof answer['error'] === 'string' ? answer['error'].slice(0, 64) : `status ${response.status}`;
      throw new OidcFailure('token_exchange_failed', error);
    }
    return answer;
  }
}
