import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { removeDir, tempDir } from './gateway';

/** Debian's chromium package (.ci/run installs it); never a browser downloaded by Playwright. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The flags of STACK.md: headless, no sandbox (root in CI), nothing that calls out to the network. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where each step's full-page screenshot goes (git-ignored; made at run time). */
export const SCREENSHOTS = resolve(__dirname, '../../screenshots');

/** The console's remembered language: English, so that the suite can read the texts. */
const LANGUAGE_SCRIPT = `try { if (!localStorage.getItem('synapse.lang')) localStorage.setItem('synapse.lang', 'en'); } catch {}`;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface ConsoleBrowser {
  context: BrowserContext;
  /** A new tab (its own sessionStorage, hence signed out) whose console errors are collected. */
  newPage(): Promise<Page>;
  /** Console errors and uncaught exceptions this page reported so far. */
  errorsOf(page: Page): string[];
  /** Runs one step of a flow and saves a full-page screenshot after it, also when it fails. */
  step<T>(page: Page, name: string, action: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile, English locale and clipboard access (the copy buttons). */
export async function launchBrowser(): Promise<ConsoleBrowser> {
  if (!chromiumAvailable()) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; .ci/run does)`);
  }
  const userDataDir = tempDir('synapse-chromium-');
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
      permissions: ['clipboard-read', 'clipboard-write'],
      timeout: 30_000,
    });
  } catch (error) {
    removeDir(userDataDir);
    throw error;
  }
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(20_000);
  await context.addInitScript({ content: LANGUAGE_SCRIPT });
  // This run's screenshots only: the folder is emptied at each launch.
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });

  const errors = new WeakMap<Page, string[]>();
  const watch = (page: Page): Page => {
    const list: string[] = [];
    errors.set(page, list);
    page.on('console', (message) => {
      if (message.type() === 'error') list.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => list.push(`uncaught: ${error.stack ?? error.message}`));
    page.on('requestfailed', (request) =>
      list.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? '?'})`),
    );
    return page;
  };
  // A persistent context opens with one blank tab: use it as the first page.
  const spare: Page[] = context.pages().map(watch);
  let shots = 0;

  return {
    context,
    newPage: async () => spare.shift() ?? watch(await context.newPage()),
    errorsOf: (page) => errors.get(page) ?? [],
    async step(page, name, action) {
      const file = (suffix = '') =>
        join(SCREENSHOTS, `${String(++shots).padStart(2, '0')}-${name.replace(/[^\w-]+/g, '-')}${suffix}.png`);
      try {
        const result = await action();
        await page.screenshot({ path: file(), fullPage: true });
        return result;
      } catch (error) {
        const shot = file('-FAILED');
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        const seen = errors.get(page) ?? [];
        console.error(
          `step "${name}" failed at ${page.url()}; screenshot ${shot}\n` +
            (seen.length ? `the page reported:\n  ${seen.join('\n  ')}` : 'the page reported no console errors'),
        );
        throw error;
      }
    },
    async close() {
      await context.close().catch(() => undefined);
      removeDir(userDataDir);
    },
  };
}
