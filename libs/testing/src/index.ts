export * from './lib/mock-upstream';
export * from './lib/services';
