import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GqlErrors } from '@synapse/gateway/auth';

/** class-validator rules on GraphQL args and inputs; failures are BAD_USER_INPUT errors. */
export class GqlValidationPipe extends ValidationPipe {
  constructor() {
    super({
      exceptionFactory: (errors: ValidationError[]) =>
        GqlErrors.badUserInput(errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ')),
    });
  }
}
