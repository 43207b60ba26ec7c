import { outOfBounds } from './out-of-bounds';

const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const CLUSTER = 0x1f43b675;
const CLUSTER_ID = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);
const BLOCK_GROUP = 0xa0;
const TIMESTAMP_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const CLUSTER_TIMESTAMP = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK = 0xa1;

/** Elements entered rather than skipped: the children read below sit in them. */
const ENTERED = new Set([SEGMENT, INFO, CLUSTER, BLOCK_GROUP]);

/** An EBML variable-length integer at `at`: its length from the leading zeros of its first byte. */
function vint(bytes: Buffer, at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } {
  const first = bytes[at];
  if (!first) throw new RangeError('not an EBML integer');
  const length = Math.clz32(first) - 23;
  let value = keepMarker ? first : first & (0xff >> length);
  let unknown = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new RangeError('EBML integer cut short');
    value = value * 256 + byte;
    unknown &&= byte === 0xff;
  }
  return { value, length, unknown };
}

function unsigned(bytes: Buffer, at: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + bytes[at + i];
  return value;
}

/** What the walk has read so far. */
interface Reading {
  /** Nanoseconds a tick. */
  scale: number;
  /** The segment's duration in ticks; 0 when it has none. */
  duration: number;
  clusterTime: number;
  /** The time of the latest block read, in ticks. */
  lastBlock: number;
  /** Where the walk stopped at the first cluster (`untilCluster`); -1 otherwise. */
  firstCluster: number;
}

/**
 * A WebM or Matroska file's length: the `Duration` of its segment info, read before the first
 * cluster; without one (what browsers' MediaRecorder writes, with clusters of unknown size), the
 * time of the last block, read from the last cluster alone, found from the end: a long recording
 * holds a hundred thousand blocks, which a walk from the start would read one by one.
 */
export function matroskaSeconds(bytes: Buffer): number | undefined {
  const reading: Reading = { scale: 1_000_000, duration: 0, clusterTime: 0, lastBlock: 0, firstCluster: -1 };
  walk(bytes, 0, reading, true);
  if (reading.duration <= 0 && reading.firstCluster >= 0) {
    walk(bytes, lastCluster(bytes, reading.firstCluster), reading, false);
  }
  const ticks = reading.duration > 0 ? reading.duration : reading.lastBlock;
  return ticks > 0 ? (ticks * reading.scale) / 1e9 : undefined;
}

/**
 * Reads elements from `at`, entering the segment, info, clusters and block groups and skipping
 * every other element by its size, so it never needs a container's own size. Stops at the end of
 * the file, at what is not an element, or (`untilCluster`) at the first cluster.
 */
function walk(bytes: Buffer, at: number, reading: Reading, untilCluster: boolean): void {
  try {
    while (at < bytes.length) {
      const id = vint(bytes, at, true);
      const size = vint(bytes, at + id.length, false);
      const data = at + id.length + size.length;
      if (untilCluster && id.value === CLUSTER) {
        reading.firstCluster = at;
        return;
      }
      if (ENTERED.has(id.value)) {
        at = data;
        continue;
      }
      if (size.unknown || data + size.value > bytes.length) return;
      if (id.value === TIMESTAMP_SCALE) reading.scale = unsigned(bytes, data, size.value);
      else if (id.value === DURATION) {
        reading.duration = size.value === 4 ? bytes.readFloatBE(data) : size.value === 8 ? bytes.readDoubleBE(data) : 0;
      } else if (id.value === CLUSTER_TIMESTAMP) reading.clusterTime = unsigned(bytes, data, size.value);
      else if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
        // The track number, then the block's time relative to its cluster (signed 16 bits).
        const track = vint(bytes, data, false);
        reading.lastBlock = Math.max(reading.lastBlock, reading.clusterTime + bytes.readInt16BE(data + track.length));
      }
      at = data + size.value;
    }
  } catch (error) {
    // A file cut short: what was read so far.
    if (!outOfBounds(error)) throw error;
  }
}

/**
 * The last cluster at or after `first`: the last place its ID is found that a size and the
 * cluster's timestamp (its first child, as muxers write it) follow. Block data may hold the ID's
 * bytes by chance, not that too. `first` when none is.
 */
function lastCluster(bytes: Buffer, first: number): number {
  let at = bytes.length;
  while ((at = bytes.lastIndexOf(CLUSTER_ID, at - 1)) > first) {
    try {
      const size = vint(bytes, at + 4, false);
      const child = at + 4 + size.length;
      if (bytes[child] === CLUSTER_TIMESTAMP && vint(bytes, child + 1, false).value <= 8) return at;
    } catch (error) {
      if (!outOfBounds(error)) throw error;
    }
  }
  return first;
}
