import { emptyTexts, translationKeys } from '../../core/testing/area-testing';
import { KEYS_TRANSLATIONS } from './keys.i18n';

describe('KEYS_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(KEYS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(KEYS_TRANSLATIONS.en));
    expect(emptyTexts(KEYS_TRANSLATIONS.en)).toEqual([]);
    expect(emptyTexts(KEYS_TRANSLATIONS['zh-CN'])).toEqual([]);
  });

  it('is written in Chinese, not copied from English', () => {
    const zh = KEYS_TRANSLATIONS['zh-CN']['keys'] as { title: string };
    expect(zh.title).toBe('密钥');
  });
});
