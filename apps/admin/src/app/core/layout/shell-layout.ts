import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule, MatIconRegistry } from '@angular/material/icon';
import { DomSanitizer } from '@angular/platform-browser';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { map } from 'rxjs';
import { AbilityService } from '../ability.service';
import { AccountService } from '../account.service';
import { AREAS } from '../areas.token';
import { LANGUAGES, LanguageService } from '../i18n/i18n';
import { registerConsoleIcons } from '../icons';
import { NoticeService } from '../notice.service';
import { ThemeService } from '../theme.service';

/** Below this width the menu slides over the page behind a menu button. */
export const NARROW_QUERY = '(max-width: 959.98px)';

/** The signed-in console: top bar, the menu of the areas the account may read, and the page. */
@Component({
  selector: 'app-shell-layout',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    TranslatePipe,
    MatToolbarModule,
    MatSidenavModule,
    MatListModule,
    MatIconModule,
    MatButtonModule,
    MatMenuModule,
    MatTooltipModule,
  ],
  templateUrl: './shell-layout.html',
  styleUrl: './shell-layout.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellLayout {
  private readonly ability = inject(AbilityService);
  private readonly accountService = inject(AccountService);
  private readonly router = inject(Router);
  protected readonly language = inject(LanguageService);
  protected readonly theme = inject(ThemeService);
  protected readonly languages = LANGUAGES;

  protected readonly account = this.ability.account;
  protected readonly accountError = this.accountService.error;
  private readonly allAreas = inject(AREAS);
  protected readonly areas = computed(() => this.allAreas.filter((area) => this.ability.can('read', area.subject)));
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(NARROW_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  private readonly sidenav = viewChild(MatSidenav);
  protected readonly notice = inject(NoticeService);

  constructor() {
    // The icons are registered with the shell: the sign-in page needs none of them.
    registerConsoleIcons(inject(MatIconRegistry), inject(DomSanitizer));
  }

  protected navigated(): void {
    this.notice.dismiss();
    if (this.narrow()) void this.sidenav()?.close();
  }

  protected async retry(): Promise<void> {
    if (await this.accountService.ensureLoaded()) await this.router.navigateByUrl(this.router.url);
  }

  protected async signOut(): Promise<void> {
    await this.accountService.signOut();
    await this.router.navigateByUrl('/login');
  }
}
