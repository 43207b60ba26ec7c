import { RouteConfigError } from './route-config-error';
import type { RouteDraft } from './route-draft';

/** Throws when a fallback names no route or when fallbacks loop back to a route on their path. */
export function checkFallbacks(drafts: ReadonlyMap<string, RouteDraft>): void {
  const done = new Set<string>();
  const path: string[] = [];

  const visit = (draft: RouteDraft): void => {
    if (done.has(draft.name)) return;
    path.push(draft.name);
    for (const name of draft.fallbacks) {
      const fallback = drafts.get(name);
      if (fallback === undefined) throw new RouteConfigError(`${draft.path}.fallbacks`, `unknown route '${name}'`);
      const loopStart = path.indexOf(name);
      if (loopStart >= 0) {
        const loop = [...path.slice(loopStart), name].join(' -> ');
        throw new RouteConfigError(`${draft.path}.fallbacks`, `fallback cycle ${loop}`);
      }
      visit(fallback);
    }
    path.pop();
    done.add(draft.name);
  };

  for (const draft of drafts.values()) visit(draft);
}
