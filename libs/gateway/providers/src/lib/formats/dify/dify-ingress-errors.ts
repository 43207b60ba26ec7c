/** Dify's error body: the HTTP status mirrored in `status`, a stable `code`, a message. */
export interface DifyErrorBody {
  code: string;
  message: string;
  status: number;
}

/** Gateway error codes whose Dify counterpart is more specific than the status's default. */
const CODES: Readonly<Record<string, { status?: number; code: string }>> = {
  model_not_found: { status: 400, code: 'app_unavailable' },
  route_unavailable: { code: 'completion_request_error' },
  request_too_large: { code: 'file_too_large' },
};

function codeOfStatus(status: number): string {
  if (status === 400) return 'invalid_param';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'file_too_large';
  if (status === 415) return 'unsupported_file_type';
  if (status === 429) return 'too_many_requests';
  if (status === 500) return 'internal_server_error';
  if (status >= 500) return 'completion_request_error';
  return 'bad_request';
}

/**
 * A gateway error as a Dify caller expects it (docs/dify.md): 400 invalid_param, 401 unauthorized,
 * 403 forbidden, 404 not_found, 429 too_many_requests (rate limits and budgets), upstream failures
 * as completion_request_error with the gateway's 5xx status. A code that is already Dify's stays.
 */
export function difyErrorOf(status: number, gatewayCode: string, message: string): DifyErrorBody {
  // Own keys only: an upstream's code such as `constructor` must not find Object's.
  const special = Object.hasOwn(CODES, gatewayCode) ? CODES[gatewayCode] : undefined;
  if (special) return { status: special.status ?? status, code: special.code, message };
  if (DIFY_CODES.has(gatewayCode)) return { status, code: gatewayCode, message };
  return { status, code: codeOfStatus(status), message };
}

/** Codes the Dify ingress raises itself with Dify's own meaning. */
const DIFY_CODES = new Set([
  'invalid_param',
  'bad_request',
  'not_found',
  'no_file_uploaded',
  'too_many_files',
  'filename_not_exists_error',
  'file_too_large',
  'unsupported_file_type',
  'not_chat_app',
  'app_unavailable',
  'provider_not_support_speech_to_text',
  'provider_not_support_text_to_speech',
]);
