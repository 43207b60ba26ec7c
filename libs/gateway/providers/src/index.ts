export * from './lib/egress-check';
export * from './lib/egress-connector';
export * from './lib/openai-compatible.adapter';
export * from './lib/provider-adapter';
export * from './lib/upstream-client';
export * from './lib/upstream-failure';
export * from './lib/upstream-target';
