import type { Locator, Page } from 'playwright-core';
import { eventually } from './gateway';
import { LOGIN, SHELL, type AreaPath } from './selectors';

/** Opens the sign-in page and waits until its form is there. */
export async function openLogin(page: Page, consoleUrl: string): Promise<void> {
  await page.goto(`${consoleUrl}/login`);
  await page.locator(LOGIN.email).waitFor();
}

/** Fills the sign-in form and submits it; resolves with the status of `POST /api/auth/login`. */
export async function submitLogin(page: Page, email: string, password: string): Promise<number> {
  await page.locator(LOGIN.email).fill(email);
  await page.locator(LOGIN.password).fill(password);
  const answered = page.waitForResponse(
    (response) => response.url().endsWith('/api/auth/login') && response.request().method() === 'POST',
  );
  await page.locator(LOGIN.submit).click();
  return (await answered).status();
}

export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/** Clicks a menu entry of the shell and waits for its route. */
export async function openArea(page: Page, path: AreaPath): Promise<void> {
  await page.getByTestId(SHELL.nav(path)).click();
  await page.waitForURL((url) => url.pathname === `/${path}` || url.pathname.startsWith(`/${path}/`));
}

/**
 * Waits until a dialog just opened has focused its first field. Material's dialog does so when its
 * opening animation ends: text typed into another field before that lands in the first one on a
 * slow machine (it did in CI, in the channel and the route dialogs).
 */
export async function dialogFocused(page: Page, firstFieldTestId: string): Promise<void> {
  await page.waitForFunction(`document.activeElement?.getAttribute('data-testid') === '${firstFieldTestId}'`);
}

/** Signs out through the account menu (or a sign-out button shown directly) and waits for /login. */
export async function signOut(page: Page): Promise<void> {
  const button = page.getByTestId(SHELL.signOut);
  if (!(await button.isVisible())) await page.getByTestId(SHELL.account).click();
  await button.click();
  await page.waitForURL((url) => url.pathname === '/login');
}

/** Waits until the shell's main area has text: the route rendered a page, not a blank. */
export async function mainShowsSomething(page: Page): Promise<void> {
  await eventually(
    async () => {
      if (!(await page.locator('main').innerText()).trim()) throw new Error(`${page.url()} shows an empty page`);
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  );
}

/** Types model names into the channel form: one chip per Enter in a chip input, else comma-separated. */
export async function fillModels(input: Locator, models: readonly string[]): Promise<void> {
  const chips = await input.evaluate('(el) => Boolean(el.closest("mat-chip-grid, mat-chip-set, mat-chip-listbox"))');
  if (!chips) return input.fill(models.join(', '));
  for (const model of models) {
    await input.fill(model);
    await input.press('Enter');
  }
}

/** The value of an input, else the visible text of the element. */
export async function textOf(locator: Locator): Promise<string> {
  const tag = String(await locator.evaluate('(el) => el.tagName')).toLowerCase();
  const text = tag === 'input' || tag === 'textarea' ? await locator.inputValue() : await locator.innerText();
  return text.trim();
}

/** The first number in a text as shown ("1,234", "12.5", "3 requests"); NaN when there is none. */
export function numberIn(text: string): number {
  const match = /-?\d[\d,]*(\.\d+)?/.exec(text);
  return match ? Number(match[0].replace(/,/g, '')) : Number.NaN;
}

/** The first number shown by a test id, waiting until there is one. */
export async function numberShown(page: Page, testId: string): Promise<number> {
  let value = Number.NaN;
  await eventually(
    async () => {
      value = numberIn(await textOf(page.getByTestId(testId)));
      if (Number.isNaN(value)) throw new Error(`${testId} shows no number`);
    },
    { timeoutMs: 10_000, intervalMs: 200 },
  );
  return value;
}

/**
 * Waits until the locator is visible, reloading the page between tries: for figures that the
 * gateway writes a moment after the call (the request log's flush, the usage rollup).
 */
export async function visibleAfterReloads(page: Page, locator: Locator, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await locator.first().waitFor({ timeout: 2_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.reload();
    }
  }
}

/** The error text at a form field: Material's mat-error, or the page's own field error. */
export function fieldError(page: Page, testId: string): Locator {
  return page
    .locator('mat-form-field, .field', { has: page.getByTestId(testId) })
    .locator('mat-error, .field-error')
    .first();
}

/** Presses Tab until the element with `testId` (or matching `selector`) has the focus; how many presses it took. */
export async function tabTo(page: Page, selector: string, maxPresses = 80): Promise<number> {
  for (let presses = 1; presses <= maxPresses; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`Boolean(document.activeElement?.matches(${JSON.stringify(selector)}))`)) return presses;
  }
  throw new Error(`${maxPresses} presses of Tab never reached ${selector}`);
}

/**
 * Whether the focused element shows that it has the focus: it matches `:focus-visible` and draws an
 * outline or a ring (box-shadow), as computed by the browser.
 */
export async function focusIndicator(page: Page): Promise<{ element: string; focusVisible: boolean; shown: string }> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { element: 'body', focusVisible: false, shown: 'nothing' };
    const style = getComputedStyle(el);
    const id = el.getAttribute('data-testid');
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow && style.boxShadow !== 'none';
    return {
      element: el.tagName.toLowerCase() + (id ? '[data-testid="' + id + '"]' : ''),
      focusVisible: el.matches(':focus-visible'),
      shown: outline ? 'outline ' + style.outlineWidth : ring ? 'ring' : 'nothing',
    };
  })()`);
}

/**
 * How far the page is wider than its window (0: no horizontal scrolling of the page): the document,
 * and the shell's content pane, which scrolls on its own. A table scrolling inside its own box is fine.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(`(() => {
    const doc = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth;
    const pane = document.querySelector('.mat-drawer-content, mat-sidenav-content');
    return Math.max(doc, pane ? pane.scrollWidth - pane.clientWidth : 0);
  })()`);
}
