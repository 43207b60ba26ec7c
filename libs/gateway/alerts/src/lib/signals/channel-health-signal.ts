import type { AlertRule } from '@synapse/gateway/persistence';
import type { RoutingAdmin, TargetStatusView } from '@synapse/gateway/proxy';
import type { Verdict } from '../evaluation/verdict';
import { channelHealthVerdict } from '../evaluation/verdicts';
import type { RuleSignal } from './rule-signal';

/**
 * Channel health from routing: a target whose circuit is open (cooling down, or half open while
 * probing) or whose channel failed its last scheduled health check. Targets disabled by hand are
 * left out: an operator took them out on purpose.
 */
export class ChannelHealthSignal implements RuleSignal {
  readonly kinds = ['channel_health'] as const;

  constructor(private readonly routing: RoutingAdmin) {}

  async evaluate(rule: AlertRule): Promise<Verdict> {
    const targets = this.routing
      .targets()
      .filter((target) => target.state !== 'disabled' && inScope(rule, target))
      .map((target) => ({ name: `${target.channelName}/${target.model}`, problem: problemOf(target) }));
    return channelHealthVerdict(targets);
  }
}

function inScope(rule: AlertRule, target: TargetStatusView): boolean {
  const { kind, value } = rule.scope;
  if (kind === 'channel') return target.channelId === value;
  if (kind === 'model') return target.model === value || target.routes.includes(value ?? '');
  if (kind === 'route') return target.routes.includes(value ?? '');
  return true;
}

function problemOf(target: TargetStatusView): string | null {
  if (target.state === 'cooling_down') return 'circuit open';
  if (target.state === 'half_open') return 'circuit half open';
  const check = target.lastCheck;
  if (check && !check.ok) {
    // The words too, so that the notification says what to fix (a certificate, a proxy, a key).
    return `health check failing (${check.error ?? 'error'}${check.detail ? `: ${check.detail}` : ''})`;
  }
  return null;
}
