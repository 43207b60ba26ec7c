/*
 * Test and bench helpers of the usage library (`@synapse/gateway/usage/testing`); production code
 * never imports this entry point.
 */
export * from './lib/testing/synthetic-logs';
