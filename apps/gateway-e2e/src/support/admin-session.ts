/** What a GraphQL endpoint answers. */
export interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

/** POST /api/auth/login as a person would; the raw response, for tests of the login itself. */
export function login(gatewayUrl: string, email: string, password: string): Promise<Response> {
  return fetch(`${gatewayUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

/** Signs in and returns the access token; fails the test when sign-in does not succeed. */
export async function accessToken(gatewayUrl: string, email: string, password: string): Promise<string> {
  const response = await login(gatewayUrl, email, password);
  if (response.status !== 200) throw new Error(`sign-in as ${email} answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** One GraphQL operation against the admin API, with the token when given. */
export async function graphql(
  gatewayUrl: string,
  query: string,
  token?: string,
  variables?: Record<string, unknown>,
): Promise<GqlBody> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GqlBody;
}
