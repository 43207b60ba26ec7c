import { provideTranslateLoader, provideTranslateService } from '@ngx-translate/core';
import { ConsoleTranslateLoader } from '../i18n/i18n';

/** In a component test: ngx-translate with the console's real texts (shell and every area) in English. */
export function provideTestI18n(lang: 'en' | 'zh-CN' = 'en') {
  return provideTranslateService({ loader: provideTranslateLoader(ConsoleTranslateLoader), lang, fallbackLang: 'en' });
}
