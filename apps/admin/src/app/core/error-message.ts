import { HttpErrorResponse } from '@angular/common/http';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/**
 * One line of text for any error the console meets (a GraphQL error with its code, an HTTP error,
 * a network failure), shown to the operator instead of a blank page. Never includes a stack.
 */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors
      .map((e) => {
        const code = e.extensions?.['code'];
        return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' ? `${e.message} (${code})` : e.message;
      })
      .join('; ');
  }
  if (ServerError.is(error)) return `The gateway answered ${error.statusCode}: ${error.message}`;
  if (error instanceof HttpErrorResponse) {
    const body = error.error as { error?: { message?: string }; message?: string } | null;
    const message = body?.error?.message ?? body?.message;
    if (error.status === 0) return 'The gateway cannot be reached.';
    return message ? `${message} (${error.status})` : `The gateway answered ${error.status}.`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
