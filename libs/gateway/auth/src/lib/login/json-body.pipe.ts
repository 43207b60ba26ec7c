import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { Errors } from '@synapse/gateway/errors';

/** Validates a JSON body against its DTO; one 400 that lists every problem, in the gateway's JSON error shape. */
export class JsonBodyPipe extends ValidationPipe {
  /** @param expected what the body should hold, for the message when it is not an object ("email and password"). */
  constructor(private readonly expected: string) {
    super({
      whitelist: true,
      stopAtFirstError: true,
      exceptionFactory: (errors: ValidationError[]) =>
        Errors.badRequest(`${errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ')}.`),
    });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw Errors.badRequest(`Send a JSON object with ${this.expected}.`);
    }
    return super.transform(value, metadata);
  }
}
