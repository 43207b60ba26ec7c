import { HttpErrorResponse } from '@angular/common/http';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { errorMessage } from './error-message';

describe(errorMessage.name, () => {
  it('gives GraphQL errors with their codes', () => {
    const error = new CombinedGraphQLErrors({
      errors: [{ message: 'Only an owner may change roles.', extensions: { code: 'FORBIDDEN' } }],
    });
    expect(errorMessage(error)).toBe('Only an owner may change roles. (FORBIDDEN)');
  });

  it('reads the OpenAI-style error body of a REST answer', () => {
    const error = new HttpErrorResponse({ status: 401, error: { error: { message: 'Wrong email or password.' } } });
    expect(errorMessage(error)).toBe('Wrong email or password. (401)');
  });

  it('says when the gateway cannot be reached', () => {
    expect(errorMessage(new HttpErrorResponse({ status: 0 }))).toBe('The gateway cannot be reached.');
  });
});
