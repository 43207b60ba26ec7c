/** A usage query that cannot be answered: bad input, or more than the reader may see. */
export class UsageQueryError extends Error {
  constructor(
    readonly code: 'BAD_USER_INPUT' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
    this.name = 'UsageQueryError';
  }
}
