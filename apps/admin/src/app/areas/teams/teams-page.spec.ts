import { GraphQLError } from 'graphql';
import { areaPageTest } from '../../core/testing/area-page-test';
import { signInAs } from '../../core/testing/sign-in-as';
import { KEYS_TRANSLATIONS } from '../keys/keys.i18n';
import {
  allByTestId,
  byTestId,
  emptyTexts,
  hasTestId,
  settle,
  translationKeys,
  typeInto,
} from '../../core/testing/area-testing';
import { USERS_TRANSLATIONS } from '../users/users.i18n';
import { TeamsPage } from './teams-page';
import {
  ADD_TEAM_MEMBER,
  CREATE_TEAM,
  DELETE_TEAM,
  REMOVE_TEAM_MEMBER,
  TEAM_CANDIDATES,
  TEAMS,
  UPDATE_TEAM,
  type Team,
} from './teams.graphql';
import { TEAMS_TRANSLATIONS } from './teams.i18n';

const dana = { __typename: 'TeamMember', id: 'u2', email: 'dana@example.com', name: 'Dana' };
const eve = { __typename: 'TeamMember', id: 'u3', email: 'eve@example.com', name: null };

function team(overrides: Partial<Team> = {}): Team {
  return {
    __typename: 'Team',
    id: 't1',
    name: 'ml-team',
    description: 'Research',
    createdAt: '2026-11-01T00:00:00Z',
    limits: null,
    members: [dana],
    spend: null,
    ...overrides,
  } as Team;
}

describe(TeamsPage.name, () => {
  const area = areaPageTest(TeamsPage, KEYS_TRANSLATIONS, USERS_TRANSLATIONS, TEAMS_TRANSLATIONS);
  const answerTeams = async (teams: Team[]) => {
    area.controller.expectOne(TEAMS).flush({ data: { teams } });
    await settle(area.fixture);
  };

  describe('as an admin', () => {
    beforeEach(async () => {
      signInAs('admin');
      await area.render();
      area.controller
        .expectOne(TEAM_CANDIDATES)
        .flush({ data: { users: [dana, eve].map((u) => ({ ...u, __typename: 'User' })) } });
    });

    it('shows an empty state, then checks the form and sends nothing while it is wrong', async () => {
      await answerTeams([]);
      expect(byTestId('teams-empty', area.page).textContent).toContain('No teams yet.');
      await area.click('teams-new');
      typeInto('teams-field-name', 'bad name!', area.page);
      typeInto('teams-field-dailyBudgetUsd', '-3', area.page);
      await area.click('teams-save');
      const errors = Array.from(area.page.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());
      expect(errors).toEqual(['Use 1-64 letters, digits, dots, dashes or underscores.', 'Enter an amount above 0.']);
      area.controller.expectNone(CREATE_TEAM);
    });

    it('creates a team with its first members and limits', async () => {
      await answerTeams([]);
      await area.click('teams-new');
      typeInto('teams-field-name', 'ml-team', area.page);
      const members = byTestId<HTMLSelectElement>('teams-field-members', area.page);
      members.options[1].selected = true;
      members.dispatchEvent(new Event('change'));
      typeInto('teams-field-concurrency', '8', area.page);
      await area.click('teams-save');
      const op = area.controller.expectOne(CREATE_TEAM);
      expect(op.operation.variables).toEqual({
        input: { name: 'ml-team', description: null, memberIds: ['u3'], limits: { concurrency: 8 } },
      });
      op.flush({ data: { createTeam: team({ members: [eve] }) } });
      await settle(area.fixture);
      expect(byTestId('teams-row', area.page).textContent).toContain('1 members');
    });

    it('edits the limits only', async () => {
      await answerTeams([team()]);
      await area.click('teams-edit');
      typeInto('teams-field-rpm', '600', area.page);
      await area.click('teams-save');
      const op = area.controller.expectOne(UPDATE_TEAM);
      expect(op.operation.variables).toEqual({ id: 't1', input: { limits: { rpm: 600 } } });
      op.flush({ data: { updateTeam: team({ limits: { rpm: 600 } as Team['limits'] }) } });
      await settle(area.fixture);
      expect(byTestId('teams-row', area.page).textContent).toContain('rpm 600');
    });

    it('adds and removes members', async () => {
      await answerTeams([team()]);
      await area.click('teams-members');
      expect(allByTestId('teams-member', area.page).map((li) => li.textContent)).toEqual([
        expect.stringContaining('dana@example.com'),
      ]);
      typeInto('teams-field-member', 'u3', area.page);
      await area.click('teams-add-member');
      area.controller.expectOne(ADD_TEAM_MEMBER).flush({ data: { addTeamMember: team({ members: [dana, eve] }) } });
      await settle(area.fixture);
      expect(allByTestId('teams-member', area.page)).toHaveLength(2);

      await area.click('teams-remove-member');
      const op = area.controller.expectOne(REMOVE_TEAM_MEMBER);
      expect(op.operation.variables).toEqual({ teamId: 't1', userId: 'u2' });
      op.graphqlErrors([new GraphQLError('not a member', { extensions: { code: 'NOT_FOUND' } })]);
      await settle(area.fixture);
      expect(byTestId('teams-error', area.page).textContent).toContain('not a member (NOT_FOUND)');
    });

    it('deletes after confirmation and shows a refusal as text', async () => {
      await answerTeams([team()]);
      await area.click('teams-delete');
      await area.click('teams-delete-confirm', document);
      area.controller
        .expectOne(DELETE_TEAM)
        .graphqlErrors([new GraphQLError('the team owns active keys', { extensions: { code: 'BAD_USER_INPUT' } })]);
      await settle(area.fixture);
      expect(byTestId('teams-error', area.page).textContent).toContain('the team owns active keys (BAD_USER_INPUT)');
      expect(hasTestId('teams-row', area.page)).toBe(true);
    });
  });

  it('lets a member read their teams and change nothing', async () => {
    signInAs('member', { id: 'u2', teamIds: ['t1'] });
    await area.render();
    area.controller.expectNone(TEAM_CANDIDATES);
    await answerTeams([team()]);
    expect(allByTestId('teams-row', area.page)).toHaveLength(1);
    expect(
      hasTestId('teams-new', area.page) || hasTestId('teams-edit', area.page) || hasTestId('teams-delete', area.page),
    ).toBe(false);
  });

  it('shows a load error as text', async () => {
    signInAs('operator');
    await area.render();
    area.controller.expectOne(TEAMS).networkError(new Error('The gateway cannot be reached.'));
    await settle(area.fixture);
    expect(byTestId('teams-error', area.page).textContent).toContain('The gateway cannot be reached.');
  });
});

describe('TEAMS_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(TEAMS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(TEAMS_TRANSLATIONS.en));
    expect([...emptyTexts(TEAMS_TRANSLATIONS.en), ...emptyTexts(TEAMS_TRANSLATIONS['zh-CN'])]).toEqual([]);
  });
});
