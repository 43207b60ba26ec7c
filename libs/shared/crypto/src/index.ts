export * from './lib/api-keys';
export * from './lib/secret-box';
