export * from './lib/account-policy';
export * from './lib/cidr';
export * from './lib/config-file';
export * from './lib/config-file.schema';
export * from './lib/env';
export * from './lib/format-issues';
export * from './lib/oidc-env';
