// Moved to core/testing/area-testing.ts; kept here for the areas that import it from this path.
export * from '../../../core/testing/area-testing';
