import { TestBed } from '@angular/core/testing';
import { THEME_STORAGE_KEY, ThemeService } from './theme.service';

describe(ThemeService.name, () => {
  afterEach(() => (document.documentElement.style.colorScheme = ''));

  it('follows the system until a theme is chosen, then remembers the choice', () => {
    const theme = TestBed.inject(ThemeService);
    expect(document.documentElement.style.colorScheme).toBe('light dark');
    theme.toggle();
    expect(theme.mode()).toBe(theme.dark() ? 'dark' : 'light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe(theme.mode());
    expect(document.documentElement.style.colorScheme).toBe(theme.mode());
  });

  it('starts with the remembered theme', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    const theme = TestBed.inject(ThemeService);
    expect(theme.dark()).toBe(true);
    expect(document.documentElement.style.colorScheme).toBe('dark');
  });
});
