import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { GatewayError } from '@synapse/gateway/proxy';
import type { FastifyReply } from 'fastify';
import { catchError, throwError, type Observable } from 'rxjs';

/**
 * Puts the headers a GatewayError carries (`Retry-After` on a 429) on the reply: outside `/v1`,
 * the gateway's exception filter sends only status and body.
 */
@Injectable()
export class ErrorHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof GatewayError && error.options.headers) {
          context.switchToHttp().getResponse<FastifyReply>().headers(error.options.headers);
        }
        return throwError(() => error);
      }),
    );
  }
}
