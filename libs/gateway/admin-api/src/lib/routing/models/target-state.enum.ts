import { registerEnumType } from '@nestjs/graphql';
import type { TargetState } from '@synapse/routing';

/** GraphQL names (upper case) of the routing library's target states; the compiler checks the list is complete. */
export const TargetStateEnum = {
  HEALTHY: 'healthy',
  COOLING_DOWN: 'cooling_down',
  HALF_OPEN: 'half_open',
  DISABLED: 'disabled',
} as const satisfies { [S in TargetState as Uppercase<S>]: S };

registerEnumType(TargetStateEnum, {
  name: 'TargetState',
  description:
    'healthy: takes traffic. cooling_down: refused until cooldownUntil. half_open: one probe may go. disabled: by hand.',
});
