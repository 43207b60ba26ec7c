// Helpers for the component tests of the console's areas
// (imported by specs only).
import type { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatIconRegistry } from '@angular/material/icon';
import { DomSanitizer } from '@angular/platform-browser';
import { TranslateService, provideTranslateService } from '@ngx-translate/core';
import { ApolloTestingModule } from 'apollo-angular/testing';
import type { AreaTranslations } from '../../areas';

/** TestBed with Apollo's testing backend, English texts from `translations`, no animations. */
export function configureAreaTest(component: unknown, ...translations: AreaTranslations[]): void {
  configureAreaTestWith(component, [], ...translations);
}

/** The same, with more providers (such as HttpClient's testing backend). */
export function configureAreaTestWith(
  component: unknown,
  providers: (Provider | EnvironmentProviders)[],
  ...translations: AreaTranslations[]
): void {
  TestBed.configureTestingModule({
    imports: [component as never, ApolloTestingModule],
    providers: [
      ...providers,
      provideTranslateService({ lang: 'en' }),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
    ],
  });
  const translate = TestBed.inject(TranslateService);
  translate.setTranslation('en', Object.assign({}, ...translations.map((t) => t.en)));
  translate.use('en');
  const icons = TestBed.inject(MatIconRegistry);
  const sanitizer = TestBed.inject(DomSanitizer);
  for (const name of ['add', 'refresh', 'copy', 'warning', 'edit', 'delete', 'close', 'search', 'filter']) {
    icons.addSvgIconLiteral(name, sanitizer.bypassSecurityTrustHtml('<svg></svg>'));
  }
}

/** The element with `data-testid="<id>"` under `root` (the document by default, for dialogs). */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`No element with data-testid="${id}"`);
  return element;
}

export function allByTestId<T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): T[] {
  return Array.from(root.querySelectorAll<T>(`[data-testid="${id}"]`));
}

export function hasTestId(id: string, root: ParentNode = document): boolean {
  return root.querySelector(`[data-testid="${id}"]`) !== null;
}

/** Types into an input, textarea or select as a person would. */
export function typeInto(id: string, value: string, root: ParentNode = document): void {
  const element = byTestId<HTMLInputElement>(id, root);
  element.value = value;
  element.dispatchEvent(new Event(element.tagName === 'SELECT' ? 'change' : 'input'));
  element.dispatchEvent(new Event('blur'));
}

/** Every key path of a translation tree, to compare languages. */
export function translationKeys(tree: unknown, prefix = ''): string[] {
  if (tree === null || typeof tree !== 'object') return [prefix];
  return Object.entries(tree as Record<string, unknown>)
    .flatMap(([key, value]) => translationKeys(value, prefix ? `${prefix}.${key}` : key))
    .sort();
}

/** The texts of a translation tree that are empty. */
export function emptyTexts(tree: unknown, prefix = ''): string[] {
  if (typeof tree === 'string') return tree.trim() ? [] : [prefix];
  if (tree === null || typeof tree !== 'object') return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([key, value]) =>
    emptyTexts(value, prefix ? `${prefix}.${key}` : key),
  );
}

/** Lets Apollo deliver what the testing backend was just told, then renders. */
export async function settle(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  }
}
