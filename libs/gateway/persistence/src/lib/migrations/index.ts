import { InitialSchema1798000000001 } from './0001-initial-schema';

/** Every migration in order; applied automatically at start. */
export const MIGRATIONS = [InitialSchema1798000000001];
