import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { Errors } from '@synapse/gateway/proxy';

/** Validates the login body; one 400 that lists every problem, in the gateway's JSON error shape. */
export class LoginBodyPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      stopAtFirstError: true,
      exceptionFactory: (errors: ValidationError[]) =>
        Errors.badRequest(`${errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ')}.`),
    });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw Errors.badRequest('Send a JSON object with email and password.');
    }
    return super.transform(value, metadata);
  }
}
