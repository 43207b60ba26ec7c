import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { InMemoryRequestLogRepository } from '@synapse/gateway/persistence/testing';
import type { IncomingHttpHeaders } from 'node:http';
import { REDACTED } from './body-redactor';
import {
  captureRequestHeaders,
  checkLoggedHeaderNames,
  DENIED_REQUEST_HEADERS,
  LOGGED_REQUEST_HEADERS,
  MAX_TOTAL_CHARS,
  MAX_VALUE_CHARS,
  redactHeaderValues,
} from './request-headers';
import { RequestLogWriter } from './request-log-writer';

/** What the openai Python SDK sends, with the credentials a caller might add. */
const SDK_CALL: IncomingHttpHeaders = {
  host: 'gateway.local:3088',
  'user-agent': 'OpenAI/Python 1.99.0',
  'content-type': 'application/json',
  accept: 'application/json',
  'x-stainless-lang': 'python',
  'x-stainless-package-version': '1.99.0',
  'x-stainless-os': 'Linux',
  'x-stainless-retry-count': '0',
  'openai-organization': 'org-synapse',
  authorization: 'Bearer sk-gw-0123456789abcdefghijklmnop',
  'x-api-key': 'sk-ant-0123456789abcdefghijklmnop',
  'api-key': 'azure-secret-value',
  cookie: 'session=abcdef0123456789',
  'proxy-authorization': 'Basic dXNlcjpwYXNz',
  'x-goog-api-key': 'AIzaSyA-0123456789abcdefghijklmnopqrstu',
  'x-custom-token': 'tok_live_0123456789',
  'x-session-id': 'sess_42',
  'x-forwarded-for': '203.0.113.9',
};
const SECRETS = [
  'sk-gw-0123456789',
  'sk-ant-0123456789',
  'azure-secret-value',
  'session=abcdef',
  'dXNlcjpwYXNz',
  'AIzaSyA',
  'tok_live',
  'sess_42',
  '203.0.113.9',
];

describe('captureRequestHeaders', () => {
  it('keeps the listed headers that identify the client, in the list order, and nothing else', () => {
    expect(captureRequestHeaders(SDK_CALL)).toEqual({
      'user-agent': 'OpenAI/Python 1.99.0',
      'content-type': 'application/json',
      accept: 'application/json',
      'openai-organization': 'org-synapse',
      'x-stainless-lang': 'python',
      'x-stainless-package-version': '1.99.0',
      'x-stainless-os': 'Linux',
      'x-stainless-retry-count': '0',
    });
  });

  it('never keeps a credential header, nor any value of one', () => {
    const captured = JSON.stringify(captureRequestHeaders(SDK_CALL));
    for (const denied of DENIED_REQUEST_HEADERS) expect(captured).not.toContain(`"${denied}"`);
    for (const secret of SECRETS) expect(captured).not.toContain(secret);
  });

  it('returns null when the caller sent none of the listed headers', () => {
    expect(captureRequestHeaders({ authorization: 'Bearer sk-x', host: 'h' })).toBeNull();
  });

  it('cuts each value and stops when the total would pass the cap', () => {
    const long = captureRequestHeaders({ 'user-agent': 'u'.repeat(10_000), accept: '*/*' });
    expect(long?.['user-agent']).toHaveLength(MAX_VALUE_CHARS);
    expect(long?.['accept']).toBe('*/*');
    const many: IncomingHttpHeaders = {};
    for (const name of LOGGED_REQUEST_HEADERS) many[name] = 'v'.repeat(MAX_VALUE_CHARS);
    const capped = captureRequestHeaders(many) ?? {};
    const total = Object.values(capped).reduce((sum, value) => sum + value.length, 0);
    expect(total).toBeLessThanOrEqual(MAX_TOTAL_CHARS);
    expect(Object.keys(capped).length).toBe(Math.floor(MAX_TOTAL_CHARS / MAX_VALUE_CHARS));
  });

  it('joins a repeated header as Node does for most others', () => {
    expect(captureRequestHeaders({ 'openai-beta': ['assistants=v2', 'realtime=v1'] })).toEqual({
      'openai-beta': 'assistants=v2, realtime=v1',
    });
  });
});

describe('checkLoggedHeaderNames', () => {
  it('refuses a list that names a credential header or one named like a secret', () => {
    expect(() => checkLoggedHeaderNames(LOGGED_REQUEST_HEADERS)).not.toThrow();
    for (const name of [...DENIED_REQUEST_HEADERS, 'x-auth-token', 'x-client-secret', 'x-dify-api-key']) {
      expect(() => checkLoggedHeaderNames([...LOGGED_REQUEST_HEADERS, name])).toThrow(/never logged/);
    }
    expect(() => checkLoggedHeaderNames(['User-Agent'])).toThrow(/lower case/);
  });
});

describe('redactHeaderValues', () => {
  it('replaces whole values that look like keys, bearer tokens, JWTs or emails', () => {
    const headers = {
      'user-agent': 'my-app/1.0 (key sk-proj-0123456789abcdefghij)',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'x-request-id': 'Bearer abcdefgh12345678',
      accept: 'application/json',
      'openai-project': 'ann@example.com',
    };
    expect(redactHeaderValues(headers)).toEqual({
      'user-agent': REDACTED,
      traceparent: headers.traceparent,
      'x-request-id': REDACTED,
      accept: 'application/json',
      'openai-project': REDACTED,
    });
    expect(redactHeaderValues({ accept: '*/*' })).toEqual({ accept: '*/*' });
  });
});

describe(RequestLogWriter.name, () => {
  it('stores the kept headers with secret-looking values redacted, in the batch', async () => {
    const store = new InMemoryRequestLogRepository();
    const writer = new RequestLogWriter(store, { batchSize: 1000, flushIntervalMs: 60_000 });
    const captured = captureRequestHeaders({ ...SDK_CALL, 'user-agent': 'curl/8.5 sk-leaked0123456789abcdef' });
    writer.record({ ...logEntry('req_h'), requestHeaders: captured });
    await writer.flush();
    const stored = await store.findById('req_h');
    expect(stored?.requestHeaders).toMatchObject({ 'user-agent': REDACTED, 'x-stainless-lang': 'python' });
    expect(JSON.stringify(stored)).not.toMatch(/sk-leaked|sk-gw|sk-ant|azure-secret|session=/);
  });
});

function logEntry(id: string): RequestLogEntry {
  return {
    id,
    createdAt: new Date(Date.UTC(2030, 0, 1)),
    endpoint: 'chat.completions',
    keyId: 'key-1',
    userId: null,
    requestedModel: 'm',
    routeName: 'm',
    channelId: 'ch-1',
    upstreamModel: 'm',
    attempts: 1,
    stream: false,
    status: 200,
    latencyMs: 1,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
    usageSource: null,
    costUsd: null,
    errorClass: null,
    errorMessage: null,
  };
}
