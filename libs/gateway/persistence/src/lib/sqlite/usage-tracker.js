// The usage rollup's sums of the request-log rows one writer thread wrote, per minute and group:
// the same sums as usage-source-query.ts makes in SQL (and groupUsageSource in code), computed as
// the rows are written, so that the rollup job adds them to its minute rows instead of reading the
// rows back when the log's counts show nothing else was written. Kept from the job's first
// `drain` on. Plain CommonJS beside the writer thread's script, copied with it into the build.

function usageTracker({ columns, latencyBounds }) {
  const at = Object.fromEntries(columns.map((name, index) => [name, index]));
  /** Minute (`2026-01-31 12:00`, as SQL's substr of created_at) -> group key -> sums. */
  let minutes = new Map();
  let groups = 0;
  let tracking = false;
  const MAX_GROUPS = 200000;
  function bucket(latency) {
    for (let i = 0; i < latencyBounds.length; i++) if (latency <= latencyBounds[i]) return i;
    return latencyBounds.length;
  }
  function add(row) {
    const minute = row[at.created_at].slice(0, 16);
    const model = row[at.requested_model] ?? row[at.upstream_model] ?? '';
    const latency = row[at.latency_ms];
    const latencyBucket = bucket(latency);
    const key = [row[at.key_id], row[at.user_id], row[at.team_id], row[at.channel_id], model, latencyBucket].join(
      '\u0000',
    );
    let groupsOfMinute = minutes.get(minute);
    if (!groupsOfMinute) minutes.set(minute, (groupsOfMinute = new Map()));
    let group = groupsOfMinute.get(key);
    if (!group) {
      groupsOfMinute.set(
        key,
        (group = {
          minute,
          key_id: row[at.key_id],
          user_id: row[at.user_id],
          team_id: row[at.team_id],
          channel_id: row[at.channel_id],
          model,
          latency_bucket: latencyBucket,
          requests: 0,
          errors: 0,
          prompt_tokens: 0,
          completion_tokens: 0,
          cached_tokens: 0,
          cost_usd: 0,
          latency_sum_ms: 0,
          ttft_sum_ms: 0,
          ttft_count: 0,
          generation_ms: 0,
          generation_tokens: 0,
        }),
      );
      groups++;
    }
    const ttft = row[at.ttft_ms];
    const completion = row[at.completion_tokens] ?? 0;
    group.requests++;
    if (row[at.status] >= 400) group.errors++;
    group.prompt_tokens += row[at.prompt_tokens] ?? 0;
    group.completion_tokens += completion;
    group.cached_tokens += row[at.cached_tokens] ?? 0;
    group.cost_usd += row[at.cost_usd] ?? 0;
    group.latency_sum_ms += latency;
    if (ttft !== null) {
      group.ttft_sum_ms += ttft;
      group.ttft_count++;
      if (completion > 0) {
        group.generation_ms += Math.max(0, latency - ttft);
        group.generation_tokens += completion;
      }
    }
  }
  return {
    written(rows) {
      if (!tracking) return;
      for (const row of rows) add(row);
      // A job that stopped draining: drop the sums (its next run sums those minutes in SQL).
      if (groups > MAX_GROUPS) {
        minutes = new Map();
        groups = 0;
      }
    },
    /**
     * The groups of minutes in [from, to), handed over and forgotten; older minutes dropped. Null
     * on the first call, which starts the tracking: what was written before it is not known.
     */
    drain(from, to) {
      if (!tracking) {
        tracking = true;
        return null;
      }
      const handed = [];
      for (const [minute, groupsOfMinute] of minutes) {
        if (minute >= to) continue;
        if (minute >= from) handed.push(...groupsOfMinute.values());
        groups -= groupsOfMinute.size;
        minutes.delete(minute);
      }
      return handed;
    },
  };
}

module.exports = { usageTracker };
