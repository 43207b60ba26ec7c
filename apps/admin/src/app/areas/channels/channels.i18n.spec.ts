import { emptyTexts, translationKeys } from '../keys/testing/area-testing';
import { CHANNELS_TRANSLATIONS } from './channels.i18n';

describe('CHANNELS_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(CHANNELS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(CHANNELS_TRANSLATIONS.en));
    expect(emptyTexts(CHANNELS_TRANSLATIONS.en)).toEqual([]);
    expect(emptyTexts(CHANNELS_TRANSLATIONS['zh-CN'])).toEqual([]);
  });

  it('is written in Chinese, not copied from English', () => {
    const zh = CHANNELS_TRANSLATIONS['zh-CN']['channels'] as { title: string };
    expect(zh.title).toBe('渠道');
  });
});
