import { randomIndex } from '../random/random-index';
import type { CompiledTarget } from '../table/compiled-target';

/** A scratch array of per-candidate scores, grown when a route has more candidates than it holds. */
export function scoreBuffer(buffer: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  return buffer.length >= size ? buffer : new Float64Array(Math.max(size, buffer.length * 2));
}

/** A uniformly random candidate among those whose score (scores[i] for candidates[i]) is at most `limit`. */
export function randomAtOrBelow(
  candidates: readonly CompiledTarget[],
  scores: Float64Array,
  limit: number,
  random: () => number,
): CompiledTarget | undefined {
  let count = 0;
  for (let i = 0; i < candidates.length; i++) if (scores[i] <= limit) count++;
  if (count === 0) return undefined;
  let skip = count === 1 ? 0 : randomIndex(count, random);
  for (let i = 0; i < candidates.length; i++) {
    if (scores[i] <= limit && skip-- === 0) return candidates[i];
  }
  return undefined;
}
