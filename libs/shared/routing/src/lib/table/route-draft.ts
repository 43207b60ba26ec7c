import { RETRY_REASONS, resolveRetryPolicy, type ResolvedRetryPolicy, type RetryPolicy } from '../retry/retry-policy';
import { isStrategyName, type StrategyName } from '../strategies/strategy-name';
import type { CompiledTarget } from './compiled-target';
import { RouteConfigError } from './route-config-error';
import type { RouteDefinition, TargetDefinition } from './route-definition';
import { RoutePattern } from './route-pattern';

/** One route definition, checked and normalised; fallbacks are still names. */
export interface RouteDraft {
  path: string;
  name: string;
  aliases: string[];
  implicit: boolean;
  strategy: StrategyName;
  targets: CompiledTarget[];
  retry: ResolvedRetryPolicy;
  fallbacks: string[];
}

/**
 * Checks one definition (it may come from YAML or the admin API, so the types are not trusted) and
 * throws a RouteConfigError naming the route and field.
 */
export function draftRoute(definition: RouteDefinition, index: number, implicit: boolean): RouteDraft {
  const list = implicit ? 'implicit' : 'routes';
  const { name } = definition;
  const path = isText(name) ? `${list}[${name}]` : `${list}[#${index}]`;
  if (!isText(name)) throw new RouteConfigError(path, 'name must be a non-empty string');

  const strategy = definition.strategy ?? 'round-robin';
  if (!isStrategyName(strategy)) throw new RouteConfigError(`${path}.strategy`, `unknown strategy '${strategy}'`);

  const aliases = listOf(definition.aliases, `${path}.aliases`);
  aliases.forEach((alias, i) => {
    if (!isText(alias) || RoutePattern.isPattern(alias)) {
      throw new RouteConfigError(`${path}.aliases[${i}]`, "must be an exact name (non-empty, no '*')");
    }
  });

  const fallbacks = listOf(definition.fallbacks, `${path}.fallbacks`);
  fallbacks.forEach((fallback, i) => {
    if (!isText(fallback)) throw new RouteConfigError(`${path}.fallbacks[${i}]`, 'must be a route name');
  });

  return {
    path,
    name,
    aliases: [...aliases],
    implicit,
    strategy,
    targets: compileTargets(definition.targets, path),
    retry: checkRetry(definition.retry, `${path}.retry`),
    fallbacks: [...fallbacks],
  };
}

function compileTargets(targets: readonly TargetDefinition[] | undefined, path: string): CompiledTarget[] {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new RouteConfigError(`${path}.targets`, 'must list at least one target');
  }
  const ids = new Set<string>();
  return targets.map((target, i) => {
    const at = `${path}.targets[${i}]`;
    if (typeof target !== 'object' || target === null) throw new RouteConfigError(at, 'must be an object');
    if (!isText(target.channelId)) throw new RouteConfigError(`${at}.channelId`, 'must be a non-empty string');
    if (!isText(target.model)) throw new RouteConfigError(`${at}.model`, 'must be a non-empty string');
    const id = `${target.channelId}/${target.model}`;
    if (ids.has(id)) throw new RouteConfigError(at, `duplicate target '${id}'`);
    ids.add(id);
    return {
      id,
      channelId: target.channelId,
      model: target.model,
      weight: checkNumber(target.weight, 1, `${at}.weight`, 'a positive number', (n) => n > 0),
      priority: checkNumber(target.priority, 0, `${at}.priority`, 'a finite number', () => true),
      rpm: checkOptional(target.rpm, `${at}.rpm`),
      tpm: checkOptional(target.tpm, `${at}.tpm`),
    };
  });
}

function checkRetry(retry: RetryPolicy | undefined, path: string): ResolvedRetryPolicy {
  const policy = resolveRetryPolicy(retry);
  const integerAtLeastOne = (n: number) => Number.isInteger(n) && n >= 1;
  const notNegative = (n: number) => n >= 0;
  checkNumber(policy.attempts, 0, `${path}.attempts`, 'an integer >= 1', integerAtLeastOne);
  checkNumber(policy.backoffMs, 0, `${path}.backoffMs`, 'a number >= 0', notNegative);
  checkNumber(policy.maxBackoffMs, 0, `${path}.maxBackoffMs`, 'a number >= 0', notNegative);
  checkNumber(policy.maxRetryAfterMs, 0, `${path}.maxRetryAfterMs`, 'a number >= 0', notNegative);
  if (!Array.isArray(policy.retryOn)) throw new RouteConfigError(`${path}.retryOn`, 'must be a list');
  for (const reason of policy.retryOn) {
    if (!(RETRY_REASONS as readonly unknown[]).includes(reason)) {
      throw new RouteConfigError(
        `${path}.retryOn`,
        `unknown reason '${String(reason)}' (use ${RETRY_REASONS.join(', ')})`,
      );
    }
  }
  return policy;
}

function checkNumber(
  value: number | undefined,
  fallback: number,
  path: string,
  expected: string,
  valid: (n: number) => boolean,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) {
    throw new RouteConfigError(path, `must be ${expected}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkOptional(value: number | undefined, path: string): number | undefined {
  return value === undefined ? undefined : checkNumber(value, 0, path, 'a positive number', (n) => n > 0);
}

function listOf<T>(value: readonly T[] | undefined, path: string): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new RouteConfigError(path, 'must be a list');
  return value;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
