import { loadEnv } from './env';
import { UpstreamProxies } from './upstream-proxy';

const SECURE = new URL('http://secure-proxy:3128');
const PLAIN = new URL('http://plain-proxy:3128');
const proxyOf = (settings: UpstreamProxies, origin: string) => settings.for(new URL(origin))?.host;

describe(UpstreamProxies.name, () => {
  it('takes HTTPS_PROXY for https upstreams and HTTP_PROXY for http ones, each only when set', () => {
    const both = new UpstreamProxies(SECURE, PLAIN);
    expect(proxyOf(both, 'https://api.openai.com')).toBe('secure-proxy:3128');
    expect(proxyOf(both, 'http://vllm.internal:8000')).toBe('plain-proxy:3128');
    const httpsOnly = new UpstreamProxies(SECURE, undefined);
    expect(proxyOf(httpsOnly, 'http://vllm.internal:8000')).toBeUndefined();
    expect(new UpstreamProxies(undefined, undefined).any).toBe(false);
  });

  it.each([
    ['api.openai.com', 'https://api.openai.com', true],
    ['openai.com', 'https://api.openai.com', true],
    ['.openai.com', 'https://api.openai.com', true],
    ['*.openai.com', 'https://api.openai.com', true],
    ['openai.com', 'https://notopenai.com', false],
    ['api.openai.com', 'https://openai.com', false],
    ['API.OpenAI.com', 'https://api.openai.com', true],
    ['api.openai.com:443', 'https://api.openai.com', true],
    ['api.openai.com:8443', 'https://api.openai.com', false],
    ['10.0.0.5', 'http://10.0.0.5:8000', true],
    ['10.0.0.5', 'http://10.0.0.50:8000', false],
    ['0.5', 'http://10.0.0.5:8000', false],
    ['::1', 'http://[::1]:8000', true],
    ['[::1]:8000', 'http://[::1]:8000', true],
    ['[::1]:9000', 'http://[::1]:8000', false],
    ['*', 'https://api.openai.com', true],
    ['localhost, internal', 'http://vllm.internal:8000', true],
    ['localhost internal', 'http://vllm.internal:8000', true],
  ])('NO_PROXY=%s: %s goes direct: %s', (noProxy, origin, direct) => {
    const settings = new UpstreamProxies(SECURE, PLAIN, noProxy);
    expect(proxyOf(settings, origin) === undefined).toBe(direct);
  });

  it('reads the upper-case variables first, then the lower-case ones', () => {
    const env = loadEnv({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', http_proxy: 'http://lower:3' });
    const settings = UpstreamProxies.fromEnv(env);
    expect(proxyOf(settings, 'https://a.example')).toBe('upper:2');
    expect(proxyOf(settings, 'http://a.example')).toBe('lower:3');
    expect(
      proxyOf(
        UpstreamProxies.fromEnv(loadEnv({ HTTP_PROXY: 'http://p:1', no_proxy: 'a.example' })),
        'http://a.example',
      ),
    ).toBeUndefined();
  });

  it('says where calls go at start without the credentials', () => {
    const settings = UpstreamProxies.fromEnv(
      loadEnv({ HTTPS_PROXY: 'http://gateway:s3cret@proxy.corp:3128', NO_PROXY: 'localhost,.corp' }),
    );
    expect(settings.describe()).toBe(
      'https upstreams through http://proxy.corp:3128, http ones through none (direct); NO_PROXY: localhost,.corp',
    );
    expect(new UpstreamProxies(undefined, undefined).describe()).toBeUndefined();
  });

  it.each([
    [
      'socks5://gateway:s3cret@proxy:1080',
      /HTTPS_PROXY: must start with http:\/\/ or https:\/\/ \(a SOCKS proxy is not supported\)/,
    ],
    ['proxy.corp:3128', /HTTPS_PROXY: must start with http:\/\/ or https:\/\//],
    ['http://gateway:s3cret@proxy:3128/path', /HTTPS_PROXY: must be the proxy itself, without a path or a query/],
    ['not a url s3cret', /HTTPS_PROXY: must be a URL such as http:\/\/proxy.example.com:3128/],
  ])('refuses HTTPS_PROXY=%s at start, without repeating it', (value, message) => {
    expect(() => loadEnv({ HTTPS_PROXY: value })).toThrow(message);
    expect(() => loadEnv({ HTTPS_PROXY: value })).not.toThrow(/s3cret/);
  });
});
