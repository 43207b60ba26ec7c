import { emptyTexts, translationKeys } from '../keys/testing/area-testing';
import { MODELS_TRANSLATIONS } from './models.i18n';

describe('MODELS_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(MODELS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(MODELS_TRANSLATIONS.en));
    expect(emptyTexts(MODELS_TRANSLATIONS.en)).toEqual([]);
    expect(emptyTexts(MODELS_TRANSLATIONS['zh-CN'])).toEqual([]);
  });

  it('is written in Chinese, not copied from English', () => {
    const zh = MODELS_TRANSLATIONS['zh-CN']['models'] as { title: string };
    expect(zh.title).toBe('模型价格');
  });
});
