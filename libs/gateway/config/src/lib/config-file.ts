import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { configFileSchema, type ConfigFile } from './config-file.schema';
import { formatIssues, formatPath } from './format-issues';

/** Thrown with every problem found, each line naming its path, so one run shows them all. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid config file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigFileError';
  }
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` (and `${NAME:-default}`) in every string of the document; `$$` is a literal `$`.
 * A variable that is not set is an error that names the path, never a silent empty string.
 */
export function interpolateEnv(
  node: unknown,
  env: NodeJS.ProcessEnv,
  problems: string[],
  path: PropertyKey[] = [],
): unknown {
  if (typeof node === 'string') {
    return node.replace(VARIABLE, (match, variable: string | undefined, fallback: string | undefined) => {
      if (match === '$$') return '$';
      const value = env[variable as string];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      problems.push(`${formatPath(path)}: environment variable ${variable} is not set`);
      return '';
    });
  }
  if (Array.isArray(node)) return node.map((item, i) => interpolateEnv(item, env, problems, [...path, i]));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, interpolateEnv(v, env, problems, [...path, k])]),
    );
  }
  return node;
}

export function parseConfigFile(text: string, file: string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigFileError(
      file,
      document.errors.map((e) => `YAML syntax: ${e.message.split('\n')[0]}`),
    );
  }
  const raw = document.toJS() ?? {};
  const problems: string[] = [];
  const interpolated = interpolateEnv(raw, env, problems);
  if (problems.length > 0) throw new ConfigFileError(file, problems);
  const parsed = configFileSchema.safeParse(interpolated);
  if (!parsed.success) throw new ConfigFileError(file, formatIssues(parsed.error.issues));
  return parsed.data;
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseConfigFile(text, file, env);
}
