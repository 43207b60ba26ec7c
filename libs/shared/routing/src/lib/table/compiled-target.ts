/** One upstream (a channel and the model name it is asked for) as a compiled route holds it. */
export interface CompiledTarget {
  /** `${channelId}/${model}`: the key for health, rate limits and logs, stable across table rebuilds. */
  readonly id: string;
  readonly channelId: string;
  /** The upstream model name; '*' forwards the public model name the caller asked for. */
  readonly model: string;
  /** Share of traffic under the weighted and priority strategies; > 0. */
  readonly weight: number;
  /** Higher is tried first under the priority strategy. */
  readonly priority: number;
  readonly rpm: number | undefined;
  readonly tpm: number | undefined;
}

/** The model name to send upstream for a request that asked for `publicModel`. */
export function upstreamModel(target: CompiledTarget, publicModel: string): string {
  return target.model === '*' ? publicModel : target.model;
}
