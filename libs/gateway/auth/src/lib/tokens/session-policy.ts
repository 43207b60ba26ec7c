import { Module, type DynamicModule } from '@nestjs/common';
import { DEFAULT_SESSION_MAX_AGE_HOURS } from '@synapse/gateway/config';

/** How long a session may last from its sign-in, however often it is refreshed. */
export interface SessionPolicy {
  maxAgeSeconds: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { maxAgeSeconds: DEFAULT_SESSION_MAX_AGE_HOURS * 3600 };

export const SESSION_POLICY = Symbol('SESSION_POLICY');

/** The gateway's session policy, for AuthModule (which uses the default without it). */
@Module({})
export class SessionPolicyModule {
  static forRoot(options: { maxAgeHours: number }): DynamicModule {
    return {
      module: SessionPolicyModule,
      global: true,
      providers: [{ provide: SESSION_POLICY, useValue: { maxAgeSeconds: options.maxAgeHours * 3600 } }],
      exports: [SESSION_POLICY],
    };
  }
}
