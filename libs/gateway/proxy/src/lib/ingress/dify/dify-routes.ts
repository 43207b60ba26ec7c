import type { DifyApp } from '@synapse/gateway/providers';

/** What a Dify path asks for; `id` is the path's task, conversation or message id. */
export type DifyAction =
  | { kind: 'generate'; app: DifyApp }
  | { kind: 'stop'; id: string }
  | { kind: 'conversations' }
  | { kind: 'messages' }
  | { kind: 'rename'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'feedback'; id: string }
  | { kind: 'parameters' }
  | { kind: 'info' }
  | { kind: 'meta' }
  | { kind: 'upload' }
  | { kind: 'audio-to-text' }
  | { kind: 'text-to-audio' };

const EXACT = new Map<string, DifyAction>([
  ['POST /v1/chat-messages', { kind: 'generate', app: 'chat' }],
  ['POST /v1/completion-messages', { kind: 'generate', app: 'completion' }],
  ['POST /v1/workflows/run', { kind: 'generate', app: 'workflow' }],
  ['GET /v1/conversations', { kind: 'conversations' }],
  // POST /v1/messages is Anthropic's (INGRESS_ROUTES); the method tells them apart.
  ['GET /v1/messages', { kind: 'messages' }],
  ['GET /v1/parameters', { kind: 'parameters' }],
  ['GET /v1/info', { kind: 'info' }],
  ['GET /v1/meta', { kind: 'meta' }],
  ['POST /v1/files/upload', { kind: 'upload' }],
  ['POST /v1/audio-to-text', { kind: 'audio-to-text' }],
  ['POST /v1/text-to-audio', { kind: 'text-to-audio' }],
]);

const WITH_ID: [string, RegExp, (id: string) => DifyAction][] = [
  [
    'POST',
    /^\/v1\/(?:chat-messages|completion-messages|workflows\/tasks)\/([^/]+)\/stop$/,
    (id) => ({ kind: 'stop', id }),
  ],
  ['POST', /^\/v1\/conversations\/([^/]+)\/name$/, (id) => ({ kind: 'rename', id })],
  ['DELETE', /^\/v1\/conversations\/([^/]+)$/, (id) => ({ kind: 'delete', id })],
  ['POST', /^\/v1\/messages\/([^/]+)\/feedbacks$/, (id) => ({ kind: 'feedback', id })],
];

/** The Dify action of a request, or undefined when the path is not one of Dify's service API. */
export function matchDifyRoute(method: string | undefined, path: string): DifyAction | undefined {
  const exact = EXACT.get(`${method} ${path}`);
  if (exact) return exact;
  for (const [verb, pattern, action] of WITH_ID) {
    if (verb !== method) continue;
    const match = pattern.exec(path);
    if (match?.[1]) return action(decodedSegment(match[1]));
  }
  return undefined;
}

/**
 * A path segment's percent-escapes decoded; a malformed one (`%E0`, `%ZZ`) is kept as sent. Such an
 * id names nothing, so the call gets the not-found answer of its kind. decodeURIComponent throws on
 * it, and this runs on the HTTP server's request event, where a throw would end the process.
 */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
