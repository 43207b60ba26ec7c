/*
 * Test doubles of the repositories, for specs of code that uses them without a database
 * (`@synapse/gateway/persistence/testing`). They pass the contract suite that the SQL stores pass;
 * production code never imports this entry point.
 */
export * from './lib/testing/memory/in-memory-alert-rule.repository';
export * from './lib/testing/memory/in-memory-alert-state.repository';
export * from './lib/testing/memory/in-memory-audit-event.repository';
export * from './lib/testing/memory/in-memory-channel.repository';
export * from './lib/testing/memory/in-memory-gateway-key.repository';
export * from './lib/testing/memory/in-memory-notification-channel.repository';
export * from './lib/testing/memory/in-memory-notification-delivery.repository';
export * from './lib/testing/memory/in-memory-refresh-token.repository';
export * from './lib/testing/memory/in-memory-request-body.repository';
export * from './lib/testing/memory/in-memory-request-log.repository';
export * from './lib/testing/memory/in-memory-route.repository';
export * from './lib/testing/memory/in-memory-user.repository';
export * from './lib/testing/memory/in-memory-model-price.repository';
export * from './lib/testing/store-harnesses';
export * from './lib/testing/query-plan';
export * from './lib/testing/memory/in-memory-usage-rollup.repository';
