import { DOCUMENT } from '@angular/common';
import {
  Injectable,
  inject,
  provideAppInitializer,
  signal,
  type EnvironmentProviders,
  type Provider,
} from '@angular/core';
import {
  TranslateLoader,
  TranslateService,
  provideTranslateLoader,
  provideTranslateService,
  type TranslationObject,
} from '@ngx-translate/core';
import { firstValueFrom, of, type Observable } from 'rxjs';
import { CONSOLE_AREAS, type AreaTranslations } from '../../areas';
import { SHELL_TRANSLATIONS } from './shell.i18n';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_STORAGE_KEY = 'synapse.lang';

/** The remembered language, else the browser's if it is Chinese or English, else Simplified Chinese. */
export function initialLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  for (const language of browserLanguages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

/** Deep merge of plain objects: later sources win on leaves. */
export function mergeTranslations(...sources: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      const current = merged[key];
      merged[key] =
        isPlainObject(current) && isPlainObject(value) ? mergeTranslations(current, value) : (value as unknown);
    }
  }
  return merged;
}

/** The dotted paths of every leaf text: for specs checking that two languages have the same keys. */
export function translationKeys(texts: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(texts)
    .flatMap(([key, value]) =>
      isPlainObject(value) ? translationKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
    )
    .sort();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The shell's texts merged with every area's, from memory (no request: texts are in the bundle). */
export function consoleTranslations(
  language: Language,
  areas: readonly { translations: AreaTranslations }[] = CONSOLE_AREAS,
): TranslationObject {
  return mergeTranslations(
    SHELL_TRANSLATIONS[language],
    ...areas.map((area) => area.translations[language]),
  ) as TranslationObject;
}

@Injectable()
export class ConsoleTranslateLoader implements TranslateLoader {
  getTranslation(lang: string): Observable<TranslationObject> {
    return of(consoleTranslations((LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'en'));
  }
}

/** The console's language: chosen in the top bar, remembered in localStorage, set on `<html lang>`. */
@Injectable({ providedIn: 'root' })
export class LanguageService {
  private readonly translate = inject(TranslateService);
  private readonly document = inject(DOCUMENT);
  /** Until init() runs (component tests), the language ngx-translate was given. */
  readonly current = signal<Language>(
    (LANGUAGES as readonly string[]).includes(this.translate.getCurrentLang())
      ? (this.translate.getCurrentLang() as Language)
      : 'zh-CN',
  );

  /** Applies the remembered or browser language; resolves once its texts are loaded. */
  init(): Promise<unknown> {
    const view = this.document.defaultView;
    const language = initialLanguage(
      safeGet(() => view?.localStorage.getItem(LANGUAGE_STORAGE_KEY) ?? null),
      view?.navigator.languages?.length ? view.navigator.languages : [view?.navigator.language ?? ''],
    );
    return this.apply(language);
  }

  use(language: Language): Promise<unknown> {
    safeGet(() => this.document.defaultView?.localStorage.setItem(LANGUAGE_STORAGE_KEY, language));
    return this.apply(language);
  }

  private apply(language: Language): Promise<unknown> {
    this.current.set(language);
    this.document.documentElement.lang = language;
    return firstValueFrom(this.translate.use(language));
  }
}

function safeGet<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** ngx-translate with the console's texts, English as the fallback, and the language set at start. */
export function provideConsoleI18n(): (Provider | EnvironmentProviders)[] {
  return [
    provideTranslateService({ loader: provideTranslateLoader(ConsoleTranslateLoader), fallbackLang: 'en' }),
    provideAppInitializer(() => inject(LanguageService).init()),
  ];
}
