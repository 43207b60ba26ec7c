export * from './lib/catalog/catalog.service';
export * from './lib/errors/gateway-error';
export * from './lib/errors/gateway-exception.filter';
export * from './lib/logging/request-log-writer';
export * from './lib/proxy.module';
export * from './lib/http/proxy-http-handler';
export * from './lib/http/request-id';
export * from './lib/openai/proxy.service';
