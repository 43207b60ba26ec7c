import type { ThrottlerStorage } from '@nestjs/throttler';

/** What ThrottlerStorage.increment answers (the package does not export the type from its index). */
export type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
