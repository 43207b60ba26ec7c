export * from './lib/mock-upstream';
export {
  startMockHttpServer,
  type MockExchange,
  type MockHttpServer,
  type RecordedRequest,
} from './lib/mock-http-server';
export * from './lib/services';
export * from './lib/mock-anthropic';
export * from './lib/mock-dify';
export * from './lib/mock-azure';
export * from './lib/mock-ollama';
export * from './lib/mock-gemini';
export * from './lib/fault-services';
export * from './lib/cluster';
export * from './lib/free-port';
export * from './lib/gateway-node-flags';
export * from './lib/raw-http';
export * from './lib/forward-proxy';
export * from './lib/tls-certificate';
export * from './lib/openai-answers';
export * from './lib/audio-fixtures';
