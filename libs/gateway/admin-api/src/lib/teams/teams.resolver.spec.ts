import { startAdminApiTestApp, type AdminApiTestApp } from '../testing/admin-api-test-app';
import { TeamsResolver } from './teams.resolver';

const FIELDS = 'id name limits { rpm dailyBudgetUsd monthlyBudgetUsd } spend { todayUsd monthUsd }';

/** Team limits and spend over GraphQL, as the gateway serves them. */
describe(TeamsResolver.name, () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
  });

  afterAll(() => t.close());

  it("stores a team's limits, reloads the catalog, and shows its spend while it has a budget", async () => {
    const token = await t.tokenFor('admin');
    const created = await t.graphql(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { ${FIELDS} } }`, {
      token,
      variables: { input: { name: 'research', limits: { rpm: 2, monthlyBudgetUsd: 50 } } },
    });
    expect(created.errors).toBeUndefined();
    const team = created.data?.['createTeam'] as { id: string };
    expect(team).toMatchObject({
      limits: { rpm: 2, dailyBudgetUsd: null, monthlyBudgetUsd: 50 },
      spend: { todayUsd: 0, monthUsd: 0 },
    });
    expect(t.bus.published).toContain('catalog');
    t.limiter.charge(
      [{ kind: 'team', name: `team:${team.id}`, limits: { monthlyBudgetUsd: 50 } }],
      { tokens: 0, costMicroUsd: 3_000_000 },
      Date.now(),
    );
    const listed = await t.graphql(`{ teams { ${FIELDS} } }`, { token });
    expect(listed.data?.['teams']).toEqual([expect.objectContaining({ spend: { todayUsd: 3, monthUsd: 3 } })]);

    t.bus.published.length = 0;
    const cleared = await t.graphql(
      `mutation($id: ID!) { updateTeam(id: $id, input: { limits: null }) { ${FIELDS} } }`,
      { token, variables: { id: team.id } },
    );
    expect(cleared.data?.['updateTeam']).toMatchObject({ limits: null, spend: null });
    expect(t.bus.published).toEqual(['catalog']);
  });
});
