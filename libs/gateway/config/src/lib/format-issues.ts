import type { z } from 'zod';

/** `['channels', 1, 'baseUrl']` → `channels[1].baseUrl` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** One line per problem, each naming where it is: `channels[1].baseUrl: must be an http(s) URL`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${formatPath(issue.path)}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
        .map((k) => `'${k}'`)
        .join(', ')}`;
    }
    return `${formatPath(issue.path)}: ${issue.message}`;
  });
}
