import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { LoginPage } from './login-page';

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
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    httpTesting = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LoginPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => httpTesting.verify());

  it('renders the sign-in form', () => {
    expect(text('h1')).toBe('Sign in');
    expect(query('label[for="login-email"]').textContent?.trim()).toBe('Email');
    expect(query<HTMLInputElement>('#login-email').type).toBe('email');
    expect(query('label[for="login-password"]').textContent?.trim()).toBe('Password');
    expect(query<HTMLInputElement>('#login-password').type).toBe('password');

    const signIn = buttonNamed('Sign in');
    expect(signIn.type).toBe('submit');
    expect(signIn.disabled).toBe(false);

    const sso = buttonNamed('or sign in with SSO');
    expect(sso.type).toBe('button');
    expect(sso.disabled).toBe(true);
    expect(sso.title).toBe('SSO is configured by the operator');

    expect(page.querySelector('.field-error')).toBeNull();
    expect(page.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows an error under each field when submitted empty, without calling the server', async () => {
    await submit();

    expect(text('#login-email-error')).toBe('Email is required.');
    expect(text('#login-password-error')).toBe('Password is required.');
    expect(query('#login-email').getAttribute('aria-invalid')).toBe('true');
    expect(query('#login-email').getAttribute('aria-describedby')).toBe('login-email-error');
    httpTesting.expectNone('/api/auth/login');
  });

  it('rejects an email address that is not one', async () => {
    type('#login-email', 'not-an-email');
    type('#login-password', 'secret');
    await submit();

    expect(text('#login-email-error')).toBe('Enter a valid email address.');
    expect(page.querySelector('#login-password-error')).toBeNull();
    httpTesting.expectNone('/api/auth/login');
  });

  it('clears a field error once the field is filled in', async () => {
    await submit();
    type('#login-password', 'secret');
    await fixture.whenStable();

    expect(page.querySelector('#login-password-error')).toBeNull();
    expect(text('#login-email-error')).toBe('Email is required.');
  });

  it('posts the credentials and shows the server message on a 401', async () => {
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

    httpTesting.expectOne('/api/auth/login').flush({});
    await fixture.whenStable();
    expect(text('[role="status"]')).toBe('Signed in.');
  });
});
