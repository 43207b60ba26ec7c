/**
 * The V8 flags the gateway runs with in production: the image's CMD and `npm start` pass them, and
 * the benchmark and the multi-replica cluster start the gateway the same way (a test holds the
 * three together). A young generation of 32 MB semi-spaces instead of V8's 16 MB halves the
 * scavenges under load, whose cost is what survives them, not what dies: 10–20 µs less CPU per
 * proxied call on the benchmark's load; the young generation (two semi-spaces) may take 64 MB instead of 32
 * under load, and memory at rest is unchanged (docs/deployment.md, Sizing).
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
