import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import type { ConsoleArea } from './areas';
import { consoleRoutes } from './app.routes';
import { shellRoutes } from './core/layout/shell.routes';
import { SESSION_STORAGE_KEY } from './auth/auth.service';
import { ACCOUNT_QUERY, type AccountResult } from './core/account.service';
import { AREAS } from './core/areas.token';
import { LANGUAGE_STORAGE_KEY, LanguageService } from './core/i18n/i18n';
import { provideConsoleIcons } from './core/icons';
import { provideTestI18n } from './core/testing/provide-test-i18n';
import { BUILT_IN_ROLE_DEFINITIONS } from '@synapse/rbac';
import { toRuleResult } from './core/testing/account-results';

@Component({ selector: 'app-test-page', template: '<h1>test page</h1>' })
class TestPage {}

const area = (path: string, subject: ConsoleArea['subject']): ConsoleArea => ({
  path,
  icon: 'list',
  labelKey: `test.${path}`,
  subject,
  loadRoutes: async () => [{ path: '', component: TestPage }],
  translations: { en: {}, 'zh-CN': {} },
});

const AREAS_FOR_TEST = [
  area('overview', 'Usage'),
  area('channels', 'Channel'),
  area('keys', 'GatewayKey'),
  area('roles', 'Role'),
];

function storeSession(): void {
  const now = Date.now();
  sessionStorage.setItem(
    SESSION_STORAGE_KEY,
    JSON.stringify({
      pair: {
        accessToken: 'access-1',
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: 'refresh-1',
        refreshExpiresIn: 3600,
      },
      accessExpiresAt: now + 900_000,
      refreshExpiresAt: now + 3_600_000,
    }),
  );
}

function accountOf(role: 'owner' | 'member'): AccountResult {
  return {
    me: { id: 'u1', email: `${role}@example.com`, name: null, role, teamIds: [] },
    myRole: {
      name: role,
      description: '',
      builtIn: true,
      rules: BUILT_IN_ROLE_DEFINITIONS[role].rules.map(toRuleResult),
    },
  };
}

describe('console shell', () => {
  let apollo: ApolloTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        // Apollo comes from ApolloTestingModule here, not from the shell's route.
        provideRouter(consoleRoutes(async () => shellRoutes(AREAS_FOR_TEST, []))),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTestI18n(),
        provideConsoleIcons(),
        { provide: AREAS, useValue: AREAS_FOR_TEST },
      ],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  const navLinks = (root: ParentNode) =>
    Array.from(root.querySelectorAll('[data-testid^="nav-"]')).map((a) => a.getAttribute('data-testid'));

  async function signedInAs(role: 'owner' | 'member', url = '/') {
    storeSession();
    const harness = await RouterTestingHarness.create();
    const navigation = harness.navigateByUrl(url);
    await new Promise((resolve) => setTimeout(resolve));
    apollo.expectOne(ACCOUNT_QUERY).flush({ data: accountOf(role) });
    await navigation;
    await harness.fixture.whenStable();
    return harness;
  }

  it('sends a signed-out visitor to the sign-in page, with the way back', async () => {
    await RouterTestingHarness.create('/keys');
    expect(TestBed.inject(Router).url).toBe('/login?returnUrl=%2Fkeys');
  });

  it('shows an owner every area and opens the first one', async () => {
    const harness = await signedInAs('owner');
    expect(navLinks(harness.fixture.nativeElement)).toEqual(['nav-overview', 'nav-channels', 'nav-keys', 'nav-roles']);
    expect(TestBed.inject(Router).url).toBe('/overview');
    expect(harness.fixture.nativeElement.textContent).toContain('SynapseHub');
  });

  it('shows a member only what their role reads: no Channels, no Roles', async () => {
    const harness = await signedInAs('member');
    expect(navLinks(harness.fixture.nativeElement)).toEqual(['nav-overview', 'nav-keys']);
  });

  it('refuses a member an area by URL and sends them to the overview', async () => {
    await signedInAs('member', '/channels');
    expect(TestBed.inject(Router).url).toBe('/overview');
    expect(document.body.querySelector('[data-testid="shell-notice"]')?.textContent).toContain(
      'Your role may not open that page.',
    );
  });

  it('signs out: tells the gateway, forgets the session and goes to the sign-in page', async () => {
    const harness = await signedInAs('owner');
    (harness.fixture.nativeElement as HTMLElement)
      .querySelector<HTMLButtonElement>('[data-testid="shell-account"]')
      ?.click();
    await harness.fixture.whenStable();
    document.querySelector<HTMLButtonElement>('[data-testid="sign-out"]')?.click();
    const logout = TestBed.inject(HttpTestingController).expectOne('/api/auth/logout');
    expect(logout.request.body).toEqual({ refreshToken: 'refresh-1' });
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await harness.fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    expect(sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(TestBed.inject(Router).url).toBe('/login');
  });

  it('switches the language from the top bar and remembers it', async () => {
    const harness = await signedInAs('owner');
    (harness.fixture.nativeElement as HTMLElement)
      .querySelector<HTMLButtonElement>('[data-testid="shell-language"]')
      ?.click();
    await harness.fixture.whenStable();
    document.querySelector<HTMLButtonElement>('[data-testid="shell-language-zh-CN"]')?.click();
    await harness.fixture.whenStable();
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(TestBed.inject(LanguageService).current()).toBe('zh-CN');
    expect(harness.fixture.nativeElement.textContent).toContain('控制台');
  });
});
