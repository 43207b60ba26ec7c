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

  it('holds membership changes to the members field of a role, and to users the caller may see', async () => {
    const owner = await t.tokenFor('owner');
    const team = await t.graphql('mutation { createTeam(input: { name: "ops-team" }) { id } }', { token: owner });
    const teamId = (team.data?.['createTeam'] as { id: string }).id;
    const role = await t.graphql(
      `mutation { createRole(input: { name: "team-describer", rules: [
        { action: ["read"], subject: ["Team"] },
        { action: ["update"], subject: ["Team"], fields: ["description"] }
      ] }) { name } }`,
      { token: owner },
    );
    expect(role.errors).toBeUndefined();
    const user = await t.graphql('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      token: owner,
      variables: {
        input: {
          email: 'team-describer@example.com',
          role: 'team-describer',
          password: 'correct horse battery staple',
        },
      },
    });
    expect(user.errors).toBeUndefined();
    const describer = await t.tokenFor('team-describer');
    const add = (token: string, userId: string) =>
      t.graphql('mutation($team: ID!, $user: ID!) { addTeamMember(teamId: $team, userId: $user) { id } }', {
        token,
        variables: { team: teamId, user: userId },
      });
    const refused = await add(describer, 'id-member');
    expect(refused.errors?.map((e) => [e.extensions?.['code'], e.message])).toEqual([
      ['FORBIDDEN', "You may not update members of the team 'ops-team': your role does not cover these fields."],
    ]);
    const unknown = await add(owner, 'no-such-user');
    expect(unknown.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect((await add(owner, 'id-member')).errors).toBeUndefined();
  });
});
