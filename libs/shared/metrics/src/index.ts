export * from './lib/latency-histogram';
