import { registerEnumType } from '@nestjs/graphql';

/** The windows live metrics are kept for, in milliseconds. */
export enum LiveMetricsWindow {
  ONE_MINUTE = 60_000,
  FIVE_MINUTES = 300_000,
  FIFTEEN_MINUTES = 900_000,
}

registerEnumType(LiveMetricsWindow, {
  name: 'LiveMetricsWindow',
  description: 'The last 1, 5 or 15 minutes (to the 10-second slot). Longer periods: the usage history.',
});
