import { emptyTexts, translationKeys } from '../keys/testing/area-testing';
import { ROUTES_TRANSLATIONS } from './routes.i18n';

describe('ROUTES_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(ROUTES_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(ROUTES_TRANSLATIONS.en));
    expect(emptyTexts(ROUTES_TRANSLATIONS.en)).toEqual([]);
    expect(emptyTexts(ROUTES_TRANSLATIONS['zh-CN'])).toEqual([]);
  });

  it('is written in Chinese, not copied from English', () => {
    const zh = ROUTES_TRANSLATIONS['zh-CN']['routes'] as { title: string };
    expect(zh.title).toBe('路由');
  });
});
