import { translationKeys } from '../../core/i18n/i18n';
import { OVERVIEW_TRANSLATIONS } from './overview.i18n';

describe('overview texts', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(translationKeys(OVERVIEW_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(OVERVIEW_TRANSLATIONS.en));
  });
});
