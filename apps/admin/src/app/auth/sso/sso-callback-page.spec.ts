import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AuthService } from '../auth.service';
import { provideTestI18n } from '../../core/testing/provide-test-i18n';
import { SsoCallbackPage } from './sso-callback-page';

describe(SsoCallbackPage.name, () => {
  let httpTesting: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login/sso', component: SsoCallbackPage },
          { path: '**', children: [] },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTestI18n(),
      ],
    });
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpTesting.verify());

  const text = (harness: RouterTestingHarness, selector: string) =>
    harness.routeNativeElement?.querySelector(selector)?.textContent?.trim();

  it('exchanges the one-time code from the fragment and keeps the session', async () => {
    const harness = await RouterTestingHarness.create('/login/sso#code=one-time-code');
    const request = httpTesting.expectOne('/api/auth/oidc/exchange');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ code: 'one-time-code' });
    expect(location.hash).toBe('');
    const pair = { accessToken: 'a', tokenType: 'Bearer', expiresIn: 900, refreshToken: 'r', refreshExpiresIn: 1 };
    request.flush(pair);
    await harness.fixture.whenStable();
    expect(TestBed.inject(AuthService).session()).toEqual(pair);
    expect(TestBed.inject(Router).url).toBe('/');
  });

  it('shows the gateway’s message when the code is refused', async () => {
    const harness = await RouterTestingHarness.create('/login/sso#code=used');
    httpTesting
      .expectOne('/api/auth/oidc/exchange')
      .flush(
        { statusCode: 401, error: 'code_used', message: 'The sign-in code was already used.' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await harness.fixture.whenStable();
    expect(text(harness, '[role="alert"]')).toBe('Single sign-on failed: The sign-in code was already used.');
  });

  it('says so when there is no code, without calling the gateway', async () => {
    const harness = await RouterTestingHarness.create('/login/sso');
    expect(text(harness, '[role="alert"]')).toBe('Single sign-on failed: the sign-in code is missing. Try again.');
  });
});
