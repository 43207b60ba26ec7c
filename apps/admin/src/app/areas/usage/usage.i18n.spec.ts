import { translationKeys } from '../../core/i18n/i18n';
import { USAGE_TRANSLATIONS } from './usage.i18n';

describe('usage texts', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(translationKeys(USAGE_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(USAGE_TRANSLATIONS.en));
  });
});
