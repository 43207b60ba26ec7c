import { Injectable, signal } from '@angular/core';

/** A message for the shell to show once (a translation key): set by guards, shown above the page. */
@Injectable({ providedIn: 'root' })
export class NoticeService {
  readonly message = signal<string | null>(null);

  show(key: string): void {
    this.message.set(key);
  }

  dismiss(): void {
    this.message.set(null);
  }
}
