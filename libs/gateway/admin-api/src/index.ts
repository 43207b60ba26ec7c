export * from './lib/admin-api.module';
export * from './lib/graphql/gate/graphql-gate';
export * from './lib/graphql/gate/graphql-gate-settings';
export * from './lib/graphql/limits/document-limits';
export * from './lib/graphql/subscriptions/graphql-ws-settings';
