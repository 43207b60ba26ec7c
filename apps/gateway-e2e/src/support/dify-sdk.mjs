// Runs one call of the official dify-client SDK (ESM-only, so outside Jest's CommonJS runtime) and
// prints what came back as JSON: { status, data } for JSON answers, { status, text } for streams,
// { error: { status, data } } for HTTP errors. Usage: node dify-sdk.mjs '<json request>'.
import { ChatClient, CompletionClient, DifyClient } from 'dify-client';

const request = JSON.parse(process.argv[2]);
const clients = { ChatClient, CompletionClient, DifyClient };
const client = new clients[request.client](request.apiKey, request.baseUrl);

function argsOf(request) {
  if (request.method !== 'fileUpload') return request.args;
  // fileUpload takes a FormData, as the SDK's README builds it in a browser.
  const [{ name, type, base64, user }] = request.args;
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(base64, 'base64')], { type }), name);
  if (user) form.append('user', user);
  return [form];
}

async function readAll(stream) {
  let text = '';
  for await (const chunk of stream) text += chunk.toString('utf8');
  return text;
}

try {
  const response = await client[request.method](...argsOf(request));
  const streamed = response.data && typeof response.data.pipe === 'function';
  const out = streamed
    ? { status: response.status, headers: response.headers, text: await readAll(response.data) }
    : { status: response.status, headers: response.headers, data: response.data };
  process.stdout.write(JSON.stringify(out));
} catch (error) {
  if (!error.response) throw error;
  let data = error.response.data;
  if (data && typeof data.pipe === 'function') data = JSON.parse(await readAll(data));
  process.stdout.write(JSON.stringify({ error: { status: error.response.status, data } }));
}
