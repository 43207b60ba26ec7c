export * from './lib/api-keys';
export * from './lib/secret-box';
export * from './lib/secret-hint';
export * from './lib/sealed-values';
