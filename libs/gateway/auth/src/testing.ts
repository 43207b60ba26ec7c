/*
 * Test helpers of the auth library for the specs of other libraries (`@synapse/gateway/auth/testing`);
 * production code never imports this entry point.
 */
export * from './lib/testing/access-test-store';
