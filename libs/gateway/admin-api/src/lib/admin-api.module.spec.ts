import { JwtService } from '@nestjs/jwt';
import { AdminApiModule } from './admin-api.module';
import { fakeTarget } from './testing/fake-routing-admin';
import { startAdminApiTestApp, type AdminApiTestApp } from './testing/admin-api-test-app';

const TARGETS = `{ routingTargets { id channelId channelName model routes state inFlight latencyMs recentFailures
  cooldownUntil lastCheck { at ok latencyMs error } } }`;
const DISABLE = `mutation($id: String!, $disabled: Boolean!) {
  setRoutingTargetDisabled(id: $id, disabled: $disabled) { id state } }`;

describe(AdminApiModule.name, () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
  });

  afterAll(() => t.close());

  const codes = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    response.errors?.map((e) => e.extensions?.['code']);

  describe('authentication', () => {
    it('answers UNAUTHENTICATED without a token, with a broken one and with one signed by another key', async () => {
      const foreign = new JwtService({ secret: 'another-replica-secret' }).sign(
        { sub: 'id-owner', email: 'owner@example.com', role: 'owner' },
        { issuer: 'synapsehub', audience: 'synapsehub-admin' },
      );
      for (const token of [undefined, 'not.a.jwt', foreign]) {
        const response = await t.graphql('{ me { id } }', { token });
        expect(codes(response)).toEqual(['UNAUTHENTICATED']);
        expect(response.data).toBeNull();
      }
    });

    it('refuses an expired token and an unsigned one (alg none)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: 'id-owner', email: 'owner@example.com', role: 'owner' };
      const jwt = t.app.get(JwtService, { strict: false });
      const expired = await t.graphql('{ me { id } }', { token: jwt.sign({ ...claims, iat: now - 901 }) });
      expect(codes(expired)).toEqual(['UNAUTHENTICATED']);
      expect(expired.errors?.[0].message).toMatch(/expired/);
      const base64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const unsigned = `${base64({ alg: 'none', typ: 'JWT' })}.${base64({
        ...claims,
        iss: 'synapsehub',
        aud: 'synapsehub-admin',
        iat: now,
        exp: now + 600,
      })}.`;
      expect(codes(await t.graphql('{ routingTargets { id } }', { token: unsigned }))).toEqual(['UNAUTHENTICATED']);
    });

    it('tells each signed-in user who they are, without any password field in the schema', async () => {
      const me = await t.graphql('{ me { id email name role } }', { token: await t.tokenFor('owner') });
      expect(me).toEqual({
        status: 200,
        data: { me: { id: 'id-owner', email: 'owner@example.com', name: 'Olivia Owner', role: 'owner' } },
      });
      const member = await t.graphql('{ me { role } }', { token: await t.tokenFor('member') });
      expect(member.data).toEqual({ me: { role: 'member' } });
      const hash = await t.graphql('{ me { passwordHash } }', { token: await t.tokenFor('owner') });
      expect(codes(hash)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });
  });

  // Who may call what: authorization-matrix.spec.ts.

  describe('routing', () => {
    it('lists every target with its state and last check', async () => {
      t.routing.targetList = [
        fakeTarget(),
        fakeTarget({
          id: 'ch-2/gpt-4o',
          channelId: 'ch-2',
          channelName: 'azure',
          model: 'gpt-4o',
          state: 'cooling_down',
          latencyMs: null,
          recentFailures: 3,
          cooldownUntil: new Date('2030-01-01T00:01:00Z'),
          lastCheck: null,
        }),
      ];
      const response = await t.graphql(TARGETS, { token: await t.tokenFor('auditor') });
      expect(response.data).toEqual({
        routingTargets: [
          {
            id: 'ch-1/gpt-4o-mini',
            channelId: 'ch-1',
            channelName: 'openai-main',
            model: 'gpt-4o-mini',
            routes: ['gpt-4o-mini'],
            state: 'HEALTHY',
            inFlight: 0,
            latencyMs: 120.5,
            recentFailures: 0,
            cooldownUntil: null,
            lastCheck: { at: '2030-01-01T00:00:00.000Z', ok: true, latencyMs: 98, error: null },
          },
          {
            id: 'ch-2/gpt-4o',
            channelId: 'ch-2',
            channelName: 'azure',
            model: 'gpt-4o',
            routes: ['gpt-4o-mini'],
            state: 'COOLING_DOWN',
            inFlight: 0,
            latencyMs: null,
            recentFailures: 3,
            cooldownUntil: '2030-01-01T00:01:00.000Z',
            lastCheck: null,
          },
        ],
      });
    });

    it('reads events newest first with limit 50 by default and refuses limits outside 1..500', async () => {
      t.routing.eventList = [
        {
          at: new Date('2030-01-01T00:00:05Z'),
          targetId: 'ch-1/gpt-4o-mini',
          channelId: 'ch-1',
          from: 'healthy',
          to: 'cooling_down',
          cause: 'failures',
        },
      ];
      t.routing.eventLimits.length = 0;
      const token = await t.tokenFor('operator');
      const response = await t.graphql('{ routingEvents { at targetId channelId from to cause } }', { token });
      expect(response.data).toEqual({
        routingEvents: [
          {
            at: '2030-01-01T00:00:05.000Z',
            targetId: 'ch-1/gpt-4o-mini',
            channelId: 'ch-1',
            from: 'HEALTHY',
            to: 'COOLING_DOWN',
            cause: 'failures',
          },
        ],
      });
      await t.graphql('{ routingEvents(limit: 500) { cause } }', { token });
      expect(t.routing.eventLimits).toEqual([50, 500]);
      for (const limit of [0, 501]) {
        const refused = await t.graphql('query($limit: Int) { routingEvents(limit: $limit) { cause } }', {
          token,
          variables: { limit },
        });
        expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
        expect(refused.errors?.[0].message).toMatch(limit ? /must not be greater than 500/ : /must not be less than 1/);
      }
      expect(t.routing.eventLimits).toEqual([50, 500]);
    });

    it('disables a target and answers NOT_FOUND for an unknown id', async () => {
      t.routing.targetList = [fakeTarget()];
      const token = await t.tokenFor('operator');
      const done = await t.graphql(DISABLE, { token, variables: { id: 'ch-1/gpt-4o-mini', disabled: true } });
      expect(done.data).toEqual({ setRoutingTargetDisabled: { id: 'ch-1/gpt-4o-mini', state: 'DISABLED' } });
      const missing = await t.graphql(DISABLE, { token, variables: { id: 'ch-9/x', disabled: true } });
      expect(codes(missing)).toEqual(['NOT_FOUND']);
      expect(missing.errors?.[0].message).toBe("No routing target has the id 'ch-9/x'.");
    });
  });

  describe('errors', () => {
    it('masks unexpected errors behind an error id and never sends a stack trace', async () => {
      t.routing.failWith = new Error('database password=hunter2 at /srv/secret/path.ts:12');
      const response = await t.graphql('{ routingTargets { id } }', { token: await t.tokenFor('owner') });
      t.routing.failWith = undefined;
      expect(response.errors).toEqual([
        {
          message: expect.stringMatching(/^The admin API failed to handle the request \(error id [0-9a-f-]{36}\)\.$/),
          locations: expect.any(Array),
          path: ['routingTargets'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) },
        },
      ]);
      expect(JSON.stringify(response)).not.toMatch(/hunter2|stacktrace|secret\/path/);
    });

    it('sends no stack trace with bad-input errors either', async () => {
      const response = await t.graphql('{ routingEvents(limit: "x") { cause } }', {
        token: await t.tokenFor('owner'),
      });
      expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(JSON.stringify(response)).not.toMatch(/stacktrace|node_modules/);
    });
  });

  describe('transport', () => {
    it('serves no landing page for a browser: no HTML, nothing from a CDN', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).not.toMatch(/html/);
      expect(response.body).not.toMatch(/<html|<script|cdn\.|jsdelivr|unpkg|googleapis|apollographql/i);
    });

    it('answers introspection with an error, even for the owner (the schema is in apps/gateway/schema.gql)', async () => {
      const response = await t.graphql('{ __schema { types { name } } }', { token: await t.tokenFor('owner') });
      expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });

    it('leaves the login route and other HTTP routes to their own rules', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'owner@example.com', password: 'wrong' },
      });
      expect(response.statusCode).toBe(401);
    });
  });
});
