import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideTestI18n } from '../../core/testing/provide-test-i18n';
import { LoginPage } from './login-page';
import { afterSignIn } from '../auth.guard';
import { AuthService } from '../auth.service';

const PAIR = { accessToken: 'a', tokenType: 'Bearer', expiresIn: 900, refreshToken: 'r', refreshExpiresIn: 3600 };

describe(LoginPage.name, () => {
  let fixture: ComponentFixture<LoginPage>;
  let page: HTMLElement;
  let httpTesting: HttpTestingController;

  const query = <T extends Element>(selector: string): T => {
    const element = page.querySelector<T>(selector);
    if (!element) {
      throw new Error(`No element matches ${selector}`);
    }
    return element;
  };
  const text = (selector: string) => page.querySelector(selector)?.textContent?.trim() ?? null;
  const buttonNamed = (name: string) => {
    const button = Array.from(page.querySelectorAll('button')).find((b) => b.textContent?.trim() === name);
    if (!button) {
      throw new Error(`No button named "${name}"`);
    }
    return button;
  };
  const type = (selector: string, value: string) => {
    const input = query<HTMLInputElement>(selector);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const submit = async () => {
    query<HTMLFormElement>('form').dispatchEvent(new Event('submit'));
    await fixture.whenStable();
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [
        provideRouter([
          { path: 'login', component: LoginPage },
          { path: '**', children: [] },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTestI18n(),
      ],
    });
    httpTesting = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LoginPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  /** Answers the page's question about sign-in methods. */
  const methods = async (oidc: { name: string; loginUrl: string } | null) => {
    httpTesting.expectOne('/api/auth/methods').flush({ password: true, oidc });
    await fixture.whenStable();
  };

  afterEach(() => httpTesting.verify());

  it('renders the sign-in form', async () => {
    await methods(null);
    expect(text('h1')).toBe('Sign in');
    expect(query('label[for="login-email"]').textContent?.trim()).toBe('Email');
    expect(query<HTMLInputElement>('#login-email').type).toBe('email');
    expect(query('label[for="login-password"]').textContent?.trim()).toBe('Password');
    expect(query<HTMLInputElement>('#login-password').type).toBe('password');

    const signIn = buttonNamed('Sign in');
    expect(signIn.type).toBe('submit');
    expect(signIn.disabled).toBe(false);

    expect(page.querySelector('a.sso')).toBeNull();
    expect(page.querySelector('.field-error')).toBeNull();
    expect(page.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows an error under each field when submitted empty, without calling the server', async () => {
    await methods(null);
    await submit();

    expect(text('#login-email-error')).toBe('Email is required.');
    expect(text('#login-password-error')).toBe('Password is required.');
    expect(query('#login-email').getAttribute('aria-invalid')).toBe('true');
    expect(query('#login-email').getAttribute('aria-describedby')).toBe('login-email-error');
    httpTesting.expectNone('/api/auth/login');
  });

  it('rejects an email address that is not one', async () => {
    await methods(null);
    type('#login-email', 'not-an-email');
    type('#login-password', 'secret');
    await submit();

    expect(text('#login-email-error')).toBe('Enter a valid email address.');
    expect(page.querySelector('#login-password-error')).toBeNull();
    httpTesting.expectNone('/api/auth/login');
  });

  it('clears a field error once the field is filled in', async () => {
    await methods(null);
    await submit();
    type('#login-password', 'secret');
    await fixture.whenStable();

    expect(page.querySelector('#login-password-error')).toBeNull();
    expect(text('#login-email-error')).toBe('Email is required.');
  });

  it('posts the credentials and shows the server message on a 401', async () => {
    await methods(null);
    type('#login-email', 'ada@example.com');
    type('#login-password', 'wrong-password');
    await submit();

    const request = httpTesting.expectOne('/api/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      email: 'ada@example.com',
      password: 'wrong-password',
    });
    expect(buttonNamed('Signing in…').disabled).toBe(true);

    request.flush(
      { statusCode: 401, message: 'Invalid email or password' },
      { status: 401, statusText: 'Unauthorized' },
    );
    await fixture.whenStable();

    expect(text('[role="alert"]')).toBe('Sign-in failed: Invalid email or password');
    expect(buttonNamed('Sign in').disabled).toBe(false);
    expect(page.querySelector('.field-error')).toBeNull();
  });

  it('clears the server message on the next attempt and reports success', async () => {
    await methods(null);
    type('#login-email', 'ada@example.com');
    type('#login-password', 'wrong-password');
    await submit();
    httpTesting
      .expectOne('/api/auth/login')
      .flush({ message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(page.querySelector('[role="alert"]')).not.toBeNull();

    type('#login-password', 'right-password');
    await submit();
    expect(page.querySelector('[role="alert"]')).toBeNull();

    httpTesting.expectOne('/api/auth/login').flush(PAIR);
    await fixture.whenStable();
    expect(text('[role="status"]')).toBe('Signed in.');
    expect(TestBed.inject(AuthService).session()).toEqual(PAIR);
    expect(TestBed.inject(Router).url).toBe('/');
  });

  it('goes back to the page that asked for sign-in, never to another site', async () => {
    const harness = await RouterTestingHarness.create('/login?returnUrl=%2Flogs%3Fstatus%3D500');
    httpTesting.match('/api/auth/methods').forEach((request) => request.flush({ password: true, oidc: null }));
    const form = harness.routeNativeElement as HTMLElement;
    for (const [selector, value] of [
      ['#login-email', 'ada@example.com'],
      ['#login-password', 'right-password'],
    ]) {
      const input = form.querySelector<HTMLInputElement>(selector) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    form.querySelector('form')?.dispatchEvent(new Event('submit'));
    httpTesting.expectOne('/api/auth/login').flush(PAIR);
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/logs?status=500');
    expect(afterSignIn('//evil.example/x')).toBe('/');
    expect(afterSignIn('https://evil.example/')).toBe('/');
  });

  it('switches the language before sign-in, and remembers it', async () => {
    await methods(null);
    query<HTMLButtonElement>('[data-testid="login-language-zh-CN"]').click();
    await fixture.whenStable();
    expect(text('h1')).toBe('登录');
    expect(localStorage.getItem('synapse.lang')).toBe('zh-CN');
  });

  it('offers single sign-on when the gateway has it: a link that leaves for the provider', async () => {
    await methods({ name: 'Acme ID', loginUrl: '/api/auth/oidc/login' });
    const link = query<HTMLAnchorElement>('a.sso');
    expect(link.textContent?.trim()).toBe('Sign in with Acme ID');
    expect(link.getAttribute('href')).toBe('/api/auth/oidc/login');
  });

  it('shows no single sign-on when the gateway cannot say which methods it has', async () => {
    httpTesting.expectOne('/api/auth/methods').flush(null, { status: 502, statusText: 'Bad Gateway' });
    await fixture.whenStable();
    expect(page.querySelector('a.sso')).toBeNull();
  });

  it('explains why a single sign-on came back to the login page', async () => {
    const harness = await RouterTestingHarness.create('/login?error=no_role');
    httpTesting.match('/api/auth/methods').forEach((request) => request.flush({ password: true, oidc: null }));
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement?.querySelector('[role="alert"]')?.textContent?.trim()).toBe(
      'Single sign-on failed: your account at the identity provider is not allowed to use this gateway.',
    );
  });
});
