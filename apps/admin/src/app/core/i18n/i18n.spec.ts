import { initialLanguage, mergeTranslations, translationKeys } from './i18n';
import { SHELL_TRANSLATIONS } from './shell.i18n';

describe('console i18n', () => {
  it('has the same texts in English and Simplified Chinese', () => {
    expect(translationKeys(SHELL_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(SHELL_TRANSLATIONS.en));
  });

  it('picks the remembered language, else a Chinese or English browser, else Chinese', () => {
    expect(initialLanguage('en', ['zh-CN'])).toBe('en');
    expect(initialLanguage(null, ['fr-FR', 'en-US'])).toBe('en');
    expect(initialLanguage(null, ['zh-TW'])).toBe('zh-CN');
    expect(initialLanguage('xx', ['de-DE'])).toBe('zh-CN');
  });

  it('merges the areas’ texts into the shell’s', () => {
    expect(mergeTranslations({ common: { a: '1' } }, { common: { b: '2' }, logs: { c: '3' } })).toEqual({
      common: { a: '1', b: '2' },
      logs: { c: '3' },
    });
  });
});
