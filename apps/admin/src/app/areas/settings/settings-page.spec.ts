import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import {
  allByTestId,
  byTestId,
  configureAreaTestWith,
  emptyTexts,
  settle,
  translationKeys,
} from '../../core/testing/area-testing';
import { SettingsPage } from './settings-page';
import { SETTINGS_TRANSLATIONS } from './settings.i18n';

describe(SettingsPage.name, () => {
  let fixture: ComponentFixture<SettingsPage>;
  let http: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    configureAreaTestWith(SettingsPage, [provideHttpClient(), provideHttpClientTesting()], SETTINGS_TRANSLATIONS);
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SettingsPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  });
  afterEach(() => http.verify());

  it('shows the sign-in methods the gateway offers, read-only, with where each setting lives', async () => {
    http
      .expectOne('/api/auth/methods')
      .flush({ password: true, oidc: { name: 'Keycloak', loginUrl: '/api/auth/oidc/login' } });
    await settle(fixture);
    expect(byTestId('settings-password', page).textContent).toContain('On');
    expect(byTestId('settings-oidc', page).textContent).toContain('On, through Keycloak');
    expect(byTestId('settings-note', page).textContent).toContain('read-only');
    const rows = allByTestId('settings-row', page).map((row) => row.textContent);
    expect(rows).toEqual(expect.arrayContaining([expect.stringContaining('SESSION_MAX_AGE_HOURS')]));
    expect(page.querySelectorAll('input, button')).toHaveLength(0);
  });

  it('says when single sign-on is not configured', async () => {
    http.expectOne('/api/auth/methods').flush({ password: true, oidc: null });
    await settle(fixture);
    expect(byTestId('settings-oidc', page).textContent).toContain('Not configured');
  });

  it('shows an HTTP error as text', async () => {
    http
      .expectOne('/api/auth/methods')
      .flush({ message: 'Too many requests' }, { status: 429, statusText: 'Too Many Requests' });
    await settle(fixture);
    expect(byTestId('settings-error', page).textContent).toContain('Too many requests (429)');
  });
});

describe('SETTINGS_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(SETTINGS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(SETTINGS_TRANSLATIONS.en));
    expect([...emptyTexts(SETTINGS_TRANSLATIONS.en), ...emptyTexts(SETTINGS_TRANSLATIONS['zh-CN'])]).toEqual([]);
  });
});
