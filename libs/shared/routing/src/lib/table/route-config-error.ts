/** A route definition that cannot be compiled; the message starts with where, e.g. `routes[fast].fallbacks`. */
export class RouteConfigError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'RouteConfigError';
  }
}
