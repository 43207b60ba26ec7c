import { createClient } from 'graphql-ws';
import OpenAI from 'openai';
import { WebSocket } from 'ws';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { CHROMIUM, SCREENSHOTS, chromiumAvailable } from './support/browser';
import {
  OWNER_EMAIL,
  OWNER_PASSWORD,
  UPSTREAM_KEY,
  startConsoleHarness,
  type ConsoleHarness,
} from './support/console-harness';
import {
  dialogFocused,
  fieldError,
  fillModels,
  focusIndicator,
  horizontalOverflow,
  mainShowsSomething,
  numberShown,
  openArea,
  openLogin,
  pathOf,
  signOut,
  submitLogin,
  tabTo,
  textOf,
  visibleAfterReloads,
} from './support/console-pages';
import { eventually } from './support/gateway';
import { ALERTS, AREA_PATHS, CHANNELS, KEYS, LOGIN, LOGS, MODELS, OVERVIEW, ROUTES, SHELL } from './support/selectors';

/*
 * Issue #9's flow in a real browser: the owner signs in, creates a channel in front of the mock
 * upstream (an invalid base URL first: refused at the field, nothing created), creates a key (secret
 * shown once), calls /v1 with it through the OpenAI SDK, finds the call in the request log and on the
 * overview (live), creates an alert rule and signs out; a member cannot reach the channels.
 */

// CI (CI=true) must have its browser: there a missing Chromium fails the suite instead of skipping it.
const runs = chromiumAvailable() || process.env['CI'] === 'true';
if (!runs) console.warn(`\nno Chromium at ${CHROMIUM}: the console's browser tests are skipped`);

const CHANNEL = 'mock-openai';
const MODEL = 'gpt-4o-mini';
const KEY_NAME = 'console-e2e-key';
const ROUTE = 'console-e2e-route';
const ALERT = 'console-e2e-errors';
const MEMBER_EMAIL = 'member@example.com';
const MEMBER_PASSWORD = 'e2e-member-password';

(runs ? describe : describe.skip)('the admin console in a browser', () => {
  let harness: ConsoleHarness;
  let page: Page;
  /** The key created in the console; its secret is read off the page once. */
  let secret = '';

  const step = <T>(name: string, action: () => Promise<T>) => harness.browser.step(page, name, action);
  const channelNames = async () =>
    (await harness.api<{ channels: { name: string }[] }>('{ channels { name } }')).channels.map((c) => c.name);
  const chat = (content: string) =>
    new OpenAI({ apiKey: secret, baseURL: `${harness.console.url}/v1`, maxRetries: 0 }).chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content }],
    });

  beforeAll(async () => {
    harness = await startConsoleHarness();
    page = await harness.browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('serves the built console on one origin with the gateway behind it, graphql-ws included', async () => {
    const base = harness.console.url;
    // A route of the app is index.html (the app routes it); a missing asset is a 404.
    const route = await fetch(`${base}/channels`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<app-root');
    expect((await fetch(`${base}/no-such-chunk.js`)).status).toBe(404);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect(((await (await fetch(`${base}/api/auth/methods`)).json()) as { password: boolean }).password).toBe(true);

    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${harness.ownerToken}` },
      retryAttempts: 0,
    });
    try {
      const first = await new Promise<unknown>((resolve, reject) => {
        const stop = client.subscribe(
          { query: 'subscription { liveMetrics(groupBy: MODEL) { at } }' },
          {
            next: (result) => (
              stop(),
              result.errors ? reject(new Error(JSON.stringify(result.errors))) : resolve(result.data)
            ),
            error: reject,
            complete: () => undefined,
          },
        );
      });
      expect(first).toEqual({ liveMetrics: { at: expect.any(String) } });
    } finally {
      await client.dispose();
    }
  });

  it('refuses a wrong password with the error text and stays on /login', async () => {
    await step('login-wrong-password', async () => {
      await openLogin(page, harness.console.url);
      expect(await submitLogin(page, OWNER_EMAIL, 'not-the-password')).toBe(401);
      const error = page.locator(LOGIN.error);
      await error.waitFor();
      expect(await error.innerText()).toMatch(/\w/);
      expect(pathOf(page)).toBe('/login');
    });
  });

  it('signs the owner in', async () => {
    await step('login-owner', async () => {
      await openLogin(page, harness.console.url);
      expect(await submitLogin(page, OWNER_EMAIL, OWNER_PASSWORD)).toBe(200);
      // The shell takes the owner to the overview, with the menu.
      await page.waitForURL((url) => url.pathname === '/overview');
      await page.getByTestId(SHELL.nav('overview')).waitFor();
      expect(await page.locator(LOGIN.error).count()).toBe(0);
    });
  });

  it('refuses a channel with an invalid base URL at the field and creates nothing', async () => {
    await step('channels-invalid-base-url', async () => {
      await openArea(page, 'channels');
      await page.getByTestId(CHANNELS.new).click();
      await dialogFocused(page, CHANNELS.name);
      await page.getByTestId(CHANNELS.name).fill(CHANNEL);
      await page.getByTestId(CHANNELS.baseUrl).fill('not a url');
      await page.getByTestId(CHANNELS.apiKey).fill(UPSTREAM_KEY);
      await fillModels(page.getByTestId(CHANNELS.models), [MODEL]);
      const sent: string[] = [];
      const record = (request: { postData(): string | null }) => {
        if (request.postData()?.includes('createChannel')) sent.push(request.postData() ?? '');
      };
      page.on('request', record);
      await page.getByTestId(CHANNELS.save).click();
      await fieldError(page, CHANNELS.baseUrl).waitFor();
      expect(await page.getByTestId(CHANNELS.baseUrl).getAttribute('aria-invalid')).toBe('true');
      page.off('request', record);
      expect(sent).toEqual([]);
      expect(await channelNames()).not.toContain(CHANNEL);
    });
  });

  it('creates a channel in front of the mock upstream', async () => {
    await step('channels-created', async () => {
      await page.getByTestId(CHANNELS.baseUrl).fill(harness.upstream.url);
      await page.getByTestId(CHANNELS.save).click();
      await page.getByTestId(CHANNELS.row).filter({ hasText: CHANNEL }).waitFor();
      expect(await page.getByTestId(CHANNELS.error).count()).toBe(0);
      const { channels } = await harness.api<{
        channels: { name: string; baseUrl: string; models: string[]; apiKeyHint: string | null }[];
      }>('{ channels { name baseUrl models apiKeyHint } }');
      expect(channels.find((c) => c.name === CHANNEL)).toMatchObject({
        baseUrl: harness.upstream.url,
        models: [MODEL],
        apiKeyHint: `…${UPSTREAM_KEY.slice(-4)}`,
      });
    });
  });

  it('tests the new channel: the gateway calls the mock upstream with the stored key', async () => {
    await step('channels-tested', async () => {
      const before = harness.upstream.requests.length;
      await page.getByTestId(CHANNELS.row).filter({ hasText: CHANNEL }).getByTestId(CHANNELS.test).click();
      const result = page.getByTestId(CHANNELS.testResult);
      await result.getByText('The upstream answered').waitFor();
      const probe = harness.upstream.requests.slice(before);
      expect(probe.map((r) => r.path)).toEqual(['/v1/models']);
      expect(probe[0].headers['authorization']).toBe(`Bearer ${UPSTREAM_KEY}`);
    });
  });

  it("edits the channel's extra headers and timeouts: a bad timeout refused at its field, then saved", async () => {
    await step('channels-timeout-refused', async () => {
      await page.getByTestId(CHANNELS.row).filter({ hasText: CHANNEL }).getByTestId(CHANNELS.edit).click();
      await dialogFocused(page, CHANNELS.name);
      await page.getByTestId(CHANNELS.headerAdd).click();
      await page.getByTestId(CHANNELS.headerName).fill('x-team');
      // Text HTTP cannot send is refused at its field (the gateway refuses it too).
      await page.getByTestId(CHANNELS.headerValue).fill('研发');
      await page.getByTestId(CHANNELS.headerValue).blur();
      await fieldError(page, CHANNELS.headerValue).waitFor();
      expect(await fieldError(page, CHANNELS.headerValue).innerText()).toContain('ASCII or Latin-1');
      await page.getByTestId(CHANNELS.headerValue).fill('console-e2e');
      await page.getByTestId(CHANNELS.totalMs).fill('0');
      const sent: string[] = [];
      const record = (request: { postData(): string | null }) => {
        if (request.postData()?.includes('updateChannel')) sent.push(request.postData() ?? '');
      };
      page.on('request', record);
      await page.getByTestId(CHANNELS.save).click();
      await fieldError(page, CHANNELS.totalMs).waitFor();
      expect(await fieldError(page, CHANNELS.totalMs).innerText()).toContain('above 0');
      page.off('request', record);
      expect(sent).toEqual([]);
    });
    await step('channels-headers-saved', async () => {
      await page.getByTestId(CHANNELS.totalMs).fill('120000');
      await page.getByTestId(CHANNELS.save).click();
      await page.locator('mat-dialog-container').waitFor({ state: 'detached' });
      const { channels } = await harness.api<{
        channels: { name: string; headerNames: string[]; timeouts: { totalMs: number | null } }[];
      }>('{ channels { name headerNames timeouts { totalMs } } }');
      expect(channels.find((c) => c.name === CHANNEL)).toMatchObject({
        headerNames: ['x-team'],
        timeouts: { totalMs: 120000 },
      });
    });
  });

  it('creates a route with a retry policy: a bad number of tries refused at its field, then saved', async () => {
    const sent: string[] = [];
    const record = (request: { postData(): string | null }) => {
      if (request.postData()?.includes('upsertRoute')) sent.push(request.postData() ?? '');
    };
    await step('routes-retry-refused', async () => {
      await openArea(page, 'routes');
      await page.getByTestId(ROUTES.new).click();
      await dialogFocused(page, ROUTES.name);
      await page.getByTestId(ROUTES.name).waitFor();
      await page.getByTestId(ROUTES.name).fill(ROUTE);
      await page.getByTestId(ROUTES.targetModel).fill(MODEL);
      await page.getByTestId(ROUTES.attempts).fill('11');
      await page.getByTestId(ROUTES.retryOn('STATUS_429')).click();
      page.on('request', record);
      await page.getByTestId(ROUTES.save).click();
      await fieldError(page, ROUTES.attempts).waitFor();
      expect(await fieldError(page, ROUTES.attempts).innerText()).toContain('1 to 10');
      expect(sent).toEqual([]);
    });
    await step('routes-retry-saved', async () => {
      await page.getByTestId(ROUTES.attempts).fill('2');
      await page.getByTestId(ROUTES.backoffMs).fill('250');
      await page.getByTestId(ROUTES.save).click();
      await page.locator('mat-dialog-container').waitFor({ state: 'detached' });
      page.off('request', record);
      expect(sent).toHaveLength(1);
      await page.getByTestId(ROUTES.row).filter({ hasText: ROUTE }).waitFor();
      const { routes } = await harness.api<{
        routes: { name: string; retry: { attempts: number; backoffMs: number; retryOn: string[] | null } | null }[];
      }>('{ routes { name retry { attempts backoffMs retryOn } } }');
      expect(routes.find((r) => r.name === ROUTE)?.retry).toEqual({
        attempts: 2,
        backoffMs: 250,
        retryOn: ['CONNECT', 'TIMEOUT', 'STATUS_5XX'],
      });
    });
  });

  it('creates a key whose secret is shown once, with a copy button', async () => {
    await step('keys-created', async () => {
      await openArea(page, 'keys');
      await page.getByTestId(KEYS.new).click();
      await page.getByTestId(KEYS.name).fill(KEY_NAME);
      await page.getByTestId(KEYS.save).click();
      await page.getByTestId(KEYS.secret).waitFor();
      secret = await textOf(page.getByTestId(KEYS.secret));
      expect(secret).toMatch(/^sk-\S{20,}$/);
      await page.getByTestId(KEYS.copy).click();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
      const done = page.getByTestId(KEYS.secretDone);
      if (await done.isVisible()) await done.click();
    });
    await step('keys-secret-gone', async () => {
      // Shown once: after a reload the list has the key and the page has no trace of its secret.
      await page.reload();
      await page.getByTestId(KEYS.row).filter({ hasText: KEY_NAME }).waitFor();
      expect(await page.content()).not.toContain(secret);
    });
  });

  it('shows a call made with that key through the OpenAI SDK in the request log', async () => {
    const answer = await chat('Hello from the console suite');
    expect(answer.choices[0]?.message.content).toContain('mock upstream');
    expect(harness.upstream.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${UPSTREAM_KEY}`);
    // The extra header set in the channel dialog goes upstream with the call.
    expect(harness.upstream.requests.at(-1)?.headers['x-team']).toBe('console-e2e');

    await step('logs-row', async () => {
      await openArea(page, 'logs');
      await visibleAfterReloads(page, page.getByTestId(LOGS.row).filter({ hasText: MODEL }));
    });
    await step('logs-detail', async () => {
      await page.getByTestId(LOGS.row).filter({ hasText: MODEL }).first().click();
      // The drawer opens at once and fills when its query answers.
      await page.getByTestId(LOGS.detail).filter({ hasText: MODEL }).waitFor();
      // The caller's headers that name its client are there; its key is not, nor any Authorization.
      const headers = page.getByTestId(LOGS.headers);
      await headers.waitFor();
      const kept = await headers.innerText();
      expect(kept).toMatch(/user-agent\s+OpenAI\/JS /);
      expect(kept.toLowerCase()).not.toContain('authorization');
      expect(await page.getByTestId(LOGS.detail).innerText()).not.toContain(secret);
    });
  });

  it('shows the calls on the overview, live over the subscription', async () => {
    await step('overview-requests', async () => {
      await openArea(page, 'overview');
      await eventually(
        async () => {
          if ((await numberShown(page, OVERVIEW.requests)) >= 1) return;
          await page.reload();
          throw new Error('the overview does not count the call yet');
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
    });
    await step('overview-live', async () => {
      const before = await numberShown(page, OVERVIEW.liveRequests);
      await chat('Live one');
      await chat('Live two');
      // No reload: the figure moves because the subscription pushed it (graphql-ws through the proxy).
      await eventually(async () => expect(await numberShown(page, OVERVIEW.liveRequests)).toBeGreaterThan(before), {
        timeoutMs: 15_000,
        intervalMs: 250,
      });
    });
  });

  it("saves the overview with some traffic at 1280×800 (the README's screenshot)", async () => {
    await step('overview-readme', async () => {
      // Demo traffic: calls of different sizes, so that tokens, cost and latency have something to show.
      for (let i = 0; i < 24; i++) await chat(`Demo call ${i}: ${'tell me more '.repeat(1 + (i % 6) * 8)}`);
      // Streams (time to first token) and a few failures (the error rate): the mock upstream obeys `mock`.
      const client = new OpenAI({ apiKey: secret, baseURL: `${harness.console.url}/v1`, maxRetries: 0 });
      for (let i = 0; i < 6; i++) {
        const stream = await client.chat.completions.create({
          model: MODEL,
          stream: true,
          messages: [{ role: 'user', content: `Stream ${i}` }],
          mock: { chunks: 4 + i, chunkDelayMs: 15 },
        } as OpenAI.ChatCompletionCreateParamsStreaming);
        for await (const chunk of stream) expect(chunk.object).toBe('chat.completion.chunk');
      }
      for (let i = 0; i < 2; i++) {
        const failed = await client.chat.completions
          .create({ model: MODEL, messages: [{ role: 'user', content: 'fail' }], mock: { status: 500 } } as never)
          .then(
            () => null,
            (error: unknown) => error,
          );
        expect(failed).toBeInstanceOf(OpenAI.APIError);
      }
      await page.reload();
      await eventually(
        async () => {
          if ((await numberShown(page, OVERVIEW.requests)) >= 35) return;
          await page.reload();
          throw new Error('the overview does not count the demo calls yet');
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      await page.waitForTimeout(1000);
      // The window as a visitor sees it (not the full page): docs/images/console-overview.png is a copy.
      await page.screenshot({ path: join(SCREENSHOTS, 'console-overview.png') });
    });
  });

  it('creates an alert rule', async () => {
    await step('alerts-created', async () => {
      await openArea(page, 'alerts');
      await page.getByTestId(ALERTS.new).click();
      await page.getByTestId(ALERTS.name).fill(ALERT);
      const threshold = page.getByTestId(ALERTS.threshold);
      if (await threshold.count()) await threshold.fill('5');
      await page.getByTestId(ALERTS.save).click();
      await page.getByTestId(ALERTS.row).filter({ hasText: ALERT }).waitFor();
      const { alertRules } = await harness.api<{ alertRules: { name: string }[] }>('{ alertRules { name } }');
      expect(alertRules.map((r) => r.name)).toContain(ALERT);
    });
  });

  it('sets a price by the audio minute (whisper-1), shown in the list and in force through the API', async () => {
    await step('models-price-per-minute', async () => {
      await openArea(page, 'models');
      await page.getByTestId(MODELS.new).click();
      await page.getByTestId(MODELS.model).fill('whisper-1');
      await page.getByTestId(MODELS.input).fill('0');
      await page.getByTestId(MODELS.output).fill('0');
      await page.getByTestId(MODELS.perMinute).fill('0.012');
      await page.getByTestId(MODELS.save).click();
      const row = page.getByTestId(MODELS.row).filter({ hasText: 'whisper-1' }).filter({ hasText: '0.012' });
      await row.waitFor();
      expect(await row.getByTestId(MODELS.units).innerText()).toContain('$0.012');
      const { modelPrices } = await harness.api<{
        modelPrices: { model: string; source: string; active: boolean; perMinute: number | null }[];
      }>('{ modelPrices { model source active perMinute } }');
      expect(modelPrices).toContainEqual({ model: 'whisper-1', source: 'runtime', active: true, perMinute: 0.012 });
    });
  });

  it('opens every page of the menu without an error', async () => {
    for (const path of AREA_PATHS) {
      if (!(await page.getByTestId(SHELL.nav(path)).count())) continue;
      await step(`page-${path}`, async () => {
        const before = harness.browser.errorsOf(page).length;
        await openArea(page, path);
        await mainShowsSomething(page);
        // Give the page's queries a moment to answer or fail: a failure shows as an `<area>-error` text.
        await page.waitForTimeout(500);
        expect(await page.locator('[data-testid$="-error"]:visible').allInnerTexts()).toEqual([]);
        expect(
          harness.browser
            .errorsOf(page)
            .slice(before)
            .filter((e) => e.startsWith('uncaught')),
        ).toEqual([]);
      });
    }
  });

  it('signs out', async () => {
    await step('signed-out', async () => {
      await signOut(page);
      // The session is gone: the console's pages send the browser back to the sign-in page.
      await page.goto(`${harness.console.url}/overview`);
      await page.waitForURL((url) => url.pathname === '/login');
      await page.locator(LOGIN.email).waitFor();
    });
  });

  it('signs in with the keyboard only: Tab to the fields, Enter to send, the focus visible', async () => {
    await step('keyboard-sign-in', async () => {
      await openLogin(page, harness.console.url);
      await page.evaluate('document.activeElement?.blur()');
      await tabTo(page, LOGIN.email);
      expect(await focusIndicator(page)).toEqual({
        element: 'input[data-testid="login-email"]',
        focusVisible: true,
        shown: expect.not.stringMatching(/^nothing$/),
      });
      await page.keyboard.type(OWNER_EMAIL);
      await page.keyboard.press('Tab');
      expect(await focusIndicator(page)).toMatchObject({ element: 'input[data-testid="login-password"]' });
      await page.keyboard.type(OWNER_PASSWORD);
      const answered = page.waitForResponse(
        (response) => response.url().endsWith('/api/auth/login') && response.request().method() === 'POST',
      );
      await page.keyboard.press('Enter');
      expect((await answered).status()).toBe(200);
      await page.waitForURL((url) => url.pathname === '/overview');
    });
  });

  it('opens an area and a dialog with the keyboard, closes the dialog with Escape, the focus visible', async () => {
    await step('keyboard-menu', async () => {
      await page.getByTestId(SHELL.nav('overview')).waitFor();
      await tabTo(page, `[data-testid="${SHELL.nav('channels')}"]`);
      expect(await focusIndicator(page)).toMatchObject({
        focusVisible: true,
        shown: expect.not.stringMatching(/^nothing$/),
      });
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === '/channels');
      await page.getByTestId(CHANNELS.row).first().waitFor();
    });
    await step('keyboard-dialog-open', async () => {
      await tabTo(page, `[data-testid="${CHANNELS.new}"]`);
      const onButton = await focusIndicator(page);
      expect(onButton).toMatchObject({ focusVisible: true, shown: expect.not.stringMatching(/^nothing$/) });
      await page.keyboard.press('Enter');
      // The dialog takes the focus: its first field, once the opening animation ends.
      await dialogFocused(page, CHANNELS.name);
      expect(await page.locator('mat-dialog-container').count()).toBe(1);
    });
    await step('keyboard-dialog-closed', async () => {
      await page.keyboard.press('Escape');
      await page.locator('mat-dialog-container').waitFor({ state: 'detached' });
      // The focus goes back to the button that opened the dialog, still visibly.
      await page.waitForFunction(`document.activeElement?.getAttribute('data-testid') === '${CHANNELS.new}'`);
      expect(await focusIndicator(page)).toMatchObject({
        focusVisible: true,
        shown: expect.not.stringMatching(/^nothing$/),
      });
    });
  });

  it('stays usable at a tablet width (768×1024): menu behind its button, no page-wide horizontal scrolling', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    try {
      for (const path of ['overview', 'logs', 'channels', 'routes', 'keys', 'usage'] as const) {
        await step(`tablet-${path}`, async () => {
          const menu = page.getByTestId(SHELL.menu);
          await menu.waitFor();
          // The menu slides over the page: hidden until asked for, then every entry reachable.
          const entry = page.getByTestId(SHELL.nav(path));
          await entry.waitFor({ state: 'hidden' });
          await menu.click();
          await entry.click();
          await page.waitForURL((url) => url.pathname === `/${path}`);
          await mainShowsSomething(page);
          await page.waitForTimeout(500);
          // Going somewhere closes the menu again.
          await entry.waitFor({ state: 'hidden' });
          expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
        });
      }
      await step('tablet-channels-list', async () => {
        await page.getByTestId(SHELL.nav('channels')).waitFor({ state: 'hidden' });
        await page.getByTestId(SHELL.menu).click();
        await page.getByTestId(SHELL.nav('channels')).click();
        await page.getByTestId(CHANNELS.row).filter({ hasText: CHANNEL }).waitFor();
        // The list's actions are within reach: the create button inside the window, and it opens the form.
        const box = await page.getByTestId(CHANNELS.new).boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= 768).toBe(true);
        await page.getByTestId(CHANNELS.new).click();
        await dialogFocused(page, CHANNELS.name);
        const dialog = await page.locator('mat-dialog-container').boundingBox();
        expect(dialog && dialog.x >= 0 && dialog.x + dialog.width <= 768).toBe(true);
        expect(await horizontalOverflow(page)).toBe(0);
        await page.keyboard.press('Escape');
        await page.locator('mat-dialog-container').waitFor({ state: 'detached' });
        // The measure sees overflow when there is some: a block wider than the window, put in and taken out.
        await page.evaluate(
          `document.querySelector('main').insertAdjacentHTML('beforeend', '<div id="too-wide" style="width:1200px;height:1px"></div>')`,
        );
        expect(await horizontalOverflow(page)).toBeGreaterThan(0);
        await page.evaluate(`document.getElementById('too-wide').remove()`);
        expect(await horizontalOverflow(page)).toBe(0);
      });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('a member sees no channels menu and cannot open /channels', async () => {
    await harness.api('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      input: { email: MEMBER_EMAIL, password: MEMBER_PASSWORD, role: 'member' },
    });
    page = await harness.browser.newPage();
    await step('member-signed-in', async () => {
      await openLogin(page, harness.console.url);
      expect(await submitLogin(page, MEMBER_EMAIL, MEMBER_PASSWORD)).toBe(200);
      // The menu is built from the member's abilities: wait for it before looking for what it lacks.
      await page.locator('[data-testid^="nav-"]').first().waitFor();
      await mainShowsSomething(page);
      expect(await page.getByTestId(SHELL.nav('channels')).count()).toBe(0);
    });
    await step('member-channels-refused', async () => {
      await page.goto(`${harness.console.url}/channels`);
      await page.getByTestId(SHELL.account).waitFor();
      // Sent elsewhere, to a page that shows something: never a blank page.
      await mainShowsSomething(page);
      expect(pathOf(page)).not.toBe('/channels');
      expect(await page.getByTestId(CHANNELS.new).count()).toBe(0);
      expect(await page.getByTestId(CHANNELS.row).count()).toBe(0);
    });
  });
});
