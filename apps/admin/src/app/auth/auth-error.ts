import { HttpErrorResponse } from '@angular/common/http';

/**
 * Turns a failed auth request into a sentence for the user. Understands the
 * bodies the gateway can send: NestJS (`{ message: string | string[] }`),
 * OpenAI-style (`{ error: { message } }`) and plain text; an HTML
 * error page falls back to the status line.
 */
export function describeAuthError(error: unknown): string {
  if (!(error instanceof HttpErrorResponse)) {
    return 'an unexpected error occurred.';
  }
  if (error.status === 0) {
    return 'the server could not be reached.';
  }
  return (
    messageFromBody(error.error) ??
    `the server answered ${error.status}${error.statusText ? ` ${error.statusText}` : ''}.`
  );
}

function messageFromBody(body: unknown): string | undefined {
  if (typeof body === 'string') {
    // A proxy's error page (nginx 502, ...) is HTML: the status says more than its markup.
    return looksLikeMarkup(body) ? undefined : nonEmpty(body);
  }
  if (!isRecord(body)) {
    return undefined;
  }
  const { message, error } = body;
  if (Array.isArray(message)) {
    return nonEmpty(message.filter((m) => typeof m === 'string').join('; '));
  }
  if (typeof message === 'string') {
    return nonEmpty(message);
  }
  if (isRecord(error) && typeof error['message'] === 'string') {
    return nonEmpty(error['message']);
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function looksLikeMarkup(text: string): boolean {
  return text.trimStart().startsWith('<');
}

function nonEmpty(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}
