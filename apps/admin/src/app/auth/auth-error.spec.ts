import { HttpErrorResponse } from '@angular/common/http';
import { describeAuthError } from './auth-error';

const httpError = (status: number, error: unknown, statusText = '') =>
  new HttpErrorResponse({ status, statusText, error, url: '/api/auth/login' });

describe(describeAuthError.name, () => {
  it('uses a NestJS message string', () => {
    expect(describeAuthError(httpError(401, { statusCode: 401, message: 'Invalid credentials' }))).toBe(
      'Invalid credentials',
    );
  });

  it('joins NestJS validation messages', () => {
    expect(
      describeAuthError(
        httpError(400, {
          message: ['email must be an email', 'password is too short'],
        }),
      ),
    ).toBe('email must be an email; password is too short');
  });

  it('uses an OpenAI-style error object', () => {
    expect(describeAuthError(httpError(403, { error: { message: 'Account locked' } }))).toBe('Account locked');
  });

  it('uses a plain text body', () => {
    expect(describeAuthError(httpError(502, 'Bad gateway upstream'))).toBe('Bad gateway upstream');
  });

  it('ignores an HTML error page from a proxy', () => {
    const page = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    expect(describeAuthError(httpError(502, page, 'Bad Gateway'))).toBe('the server answered 502 Bad Gateway.');
  });

  it('falls back to the status when the body says nothing', () => {
    expect(describeAuthError(httpError(404, null, 'Not Found'))).toBe('the server answered 404 Not Found.');
  });

  it('reports an unreachable server', () => {
    expect(describeAuthError(httpError(0, new ProgressEvent('error')))).toBe('the server could not be reached.');
  });

  it('handles errors that are not HTTP errors', () => {
    expect(describeAuthError(new Error('boom'))).toBe('an unexpected error occurred.');
  });
});
