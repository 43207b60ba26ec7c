export * from './lib/latency-histogram';
export * from './lib/live-aggregate';
export * from './lib/live-window';
