import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBodyFor, Errors, GatewayError } from './gateway-error';
import { JSON_TOO_DEEP, TOO_DEEP_MESSAGE } from './json-depth';

/** Fastify's own errors (body parsing, limits) that the caller caused. */
const FASTIFY_CLIENT_ERRORS: Record<string, (limit: number) => GatewayError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => Errors.badRequest('The request body is not valid JSON.', null, 'invalid_json'),
  [JSON_TOO_DEEP]: () => Errors.badRequest(TOO_DEEP_MESSAGE, null, 'invalid_json'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    Errors.badRequest('The request body is empty; send a JSON object.', null, 'invalid_json'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    Errors.badRequest('Unsupported Content-Type; send "Content-Type: application/json".', null, 'invalid_content_type'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    Errors.badRequest('The Content-Length header does not match the body.', null, 'invalid_body'),
  FST_ERR_CTP_BODY_TOO_LARGE: (limit) => Errors.bodyTooLarge(limit),
  // Raised before routing (Fastify's frameworkErrors), on paths no route could match.
  FST_ERR_BAD_URL: () =>
    Errors.badRequest(
      'The request path is not a valid URL: a percent-escape in it is malformed.',
      null,
      'invalid_path',
    ),
  FST_ERR_MAX_PARAM_LENGTH: () => new GatewayError(414, 'uri_too_long', 'A segment of the request path is too long.'),
};

/**
 * One error mapping per transport: OpenAI's error object on `/v1`, Nest's usual JSON elsewhere.
 * Unexpected errors are logged with the request id, which the caller also receives.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly bodyLimit: number) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return exception;
    const http = host.switchToHttp();
    return this.send(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  /** Answers `exception` in the format of the request's transport; also Fastify's `frameworkErrors`. */
  send(exception: unknown, request: FastifyRequest, reply: FastifyReply): unknown {
    if (reply.sent) return undefined;
    const error = this.toGatewayError(exception, request);
    // Headers the error carries (Retry-After on a 429) go out on every transport.
    reply.code(error.status).headers(error.options.headers ?? {});
    return reply.send(errorBodyFor(request.url ?? '', error));
  }

  toGatewayError(exception: unknown, request: FastifyRequest): GatewayError {
    if (exception instanceof GatewayError) return exception;
    const code = (exception as { code?: string })?.code;
    if (code && FASTIFY_CLIENT_ERRORS[code]) return FASTIFY_CLIENT_ERRORS[code](this.bodyLimit);
    if (exception instanceof HttpException) {
      // Nest turns Fastify's parser errors into plain HttpExceptions, keeping only status and message.
      const status = exception.getStatus();
      if (status === 413) return FASTIFY_CLIENT_ERRORS['FST_ERR_CTP_BODY_TOO_LARGE'](this.bodyLimit);
      if (status === 415) return FASTIFY_CLIENT_ERRORS['FST_ERR_CTP_INVALID_MEDIA_TYPE'](this.bodyLimit);
      if (status === 400 && /JSON/i.test(exception.message)) {
        const empty = /empty/i.test(exception.message);
        return FASTIFY_CLIENT_ERRORS[empty ? 'FST_ERR_CTP_EMPTY_JSON_BODY' : 'FST_ERR_CTP_INVALID_JSON_BODY'](
          this.bodyLimit,
        );
      }
      if (status === 404) return Errors.notFound(`Unknown route: ${request.method} ${request.url.split('?')[0]}`);
      return new GatewayError(status, status === 405 ? 'method_not_allowed' : 'http_error', exception.message);
    }
    const status = (exception as { statusCode?: number })?.statusCode;
    if (status && status >= 400 && status < 500) {
      return new GatewayError(status, 'invalid_request', (exception as Error).message);
    }
    this.logger.error(`${request.id}: ${(exception as Error)?.stack ?? exception}`);
    return Errors.internal(request.id);
  }
}
