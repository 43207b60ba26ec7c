export * from './lib/gateway-error';
export * from './lib/gateway-exception.filter';
export * from './lib/send-error';
export * from './lib/malformed-request';
export * from './lib/json-depth';
export * from './lib/log-line';
