import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { SESSION_STORAGE_KEY } from '../auth/auth.service';
import { AbilityService } from './ability.service';
import { ACCOUNT_QUERY, AccountService } from './account.service';

/** An unsigned token whose payload names the account (the console reads claims, never checks them). */
const token = (claims: Record<string, unknown>) => `x.${btoa(JSON.stringify(claims))}.y`;

describe(AccountService.name, () => {
  let apollo: ApolloTestingController;

  beforeEach(() => {
    const now = Date.now();
    sessionStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({
        pair: {
          accessToken: token({ sub: 'u7', email: 'viewer@example.com' }),
          tokenType: 'Bearer',
          expiresIn: 900,
          refreshToken: 'r',
          refreshExpiresIn: 3600,
        },
        accessExpiresAt: now + 900_000,
        refreshExpiresAt: now + 3_600_000,
      }),
    );
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [AccountService, provideHttpClient(), provideHttpClientTesting()],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  it("uses a custom role's rules from myRole, even when the role may not read its own account", async () => {
    const loaded = TestBed.inject(AccountService).ensureLoaded();
    apollo.expectOne(ACCOUNT_QUERY).flush({
      data: {
        me: null,
        myRole: {
          __typename: 'Role',
          name: 'channel-viewer',
          description: '',
          builtIn: false,
          rules: [
            {
              __typename: 'PermissionRule',
              action: ['read'],
              subject: ['Channel'],
              conditions: null,
              fields: null,
              inverted: false,
              reason: null,
            },
          ],
        },
      },
      errors: [new GraphQLError('You may not read User.', { path: ['me'], extensions: { code: 'FORBIDDEN' } })],
    });
    expect(await loaded).toBe(true);
    const ability = TestBed.inject(AbilityService);
    expect(ability.account()).toEqual({ id: 'u7', email: 'viewer@example.com', role: 'channel-viewer', teamIds: [] });
    expect(ability.can('read', 'Channel')).toBe(true);
    expect(ability.can('read', 'Usage')).toBe(false);
  });

  it('says why when the account cannot be read', async () => {
    const account = TestBed.inject(AccountService);
    const loaded = account.ensureLoaded();
    apollo.expectOne(ACCOUNT_QUERY).networkError(new Error('The gateway cannot be reached.'));
    expect(await loaded).toBe(false);
    expect(account.error()).toBe('The gateway cannot be reached.');
    expect(TestBed.inject(AbilityService).account()).toBeNull();
  });
});
