export * from './lib/mock-upstream';
export * from './lib/services';
export * from './lib/mock-anthropic';
export * from './lib/mock-dify';
export * from './lib/mock-azure';
export * from './lib/mock-ollama';
export * from './lib/mock-gemini';
export * from './lib/fault-services';
