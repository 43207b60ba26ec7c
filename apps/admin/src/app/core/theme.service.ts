import { DOCUMENT } from '@angular/common';
import { Injectable, computed, inject, signal } from '@angular/core';

export type ThemeMode = 'light' | 'dark';
export const THEME_STORAGE_KEY = 'synapse.theme';

/**
 * Light or dark: follows `prefers-color-scheme` until the user picks one in the top bar, which is
 * remembered in localStorage. Applied as `color-scheme` on `<html>`, which the Material theme
 * (`light-dark()` tokens) and the console's own colours follow.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly media = this.document.defaultView?.matchMedia?.('(prefers-color-scheme: dark)');
  private readonly systemDark = signal(this.media?.matches ?? false);
  private readonly chosen = signal<ThemeMode | null>(readChoice(this.document));

  readonly mode = computed<ThemeMode>(() => this.chosen() ?? (this.systemDark() ? 'dark' : 'light'));
  readonly dark = computed(() => this.mode() === 'dark');

  constructor() {
    this.media?.addEventListener?.('change', (event) => this.systemDark.set(event.matches));
    this.apply();
  }

  toggle(): void {
    this.set(this.dark() ? 'light' : 'dark');
  }

  set(mode: ThemeMode): void {
    this.chosen.set(mode);
    try {
      this.document.defaultView?.localStorage.setItem(THEME_STORAGE_KEY, mode);
    } catch {
      // not remembered
    }
    this.apply();
  }

  private apply(): void {
    const chosen = this.chosen();
    this.document.documentElement.style.colorScheme = chosen ?? 'light dark';
  }
}

function readChoice(document: Document): ThemeMode | null {
  try {
    const stored = document.defaultView?.localStorage.getItem(THEME_STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : null;
  } catch {
    return null;
  }
}
