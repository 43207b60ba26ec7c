import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { AbilityService } from '../../core/ability.service';

/** The alerts area: rules, notification channels and history, one tab each. */
@Component({
  selector: 'app-alerts-tabs',
  imports: [MatButtonModule, RouterLink, RouterLinkActive, RouterOutlet, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nav class="tabs" [attr.aria-label]="'alerts.title' | translate">
      <a
        mat-button
        routerLink="./"
        routerLinkActive="active"
        ariaCurrentWhenActive="page"
        [routerLinkActiveOptions]="{ exact: true }"
        data-testid="alerts-tab-rules"
        >{{ 'alerts.tabs.rules' | translate }}</a
      >
      @if (canReadChannels()) {
        <a
          mat-button
          routerLink="channels"
          routerLinkActive="active"
          ariaCurrentWhenActive="page"
          data-testid="alerts-tab-channels"
          >{{ 'alerts.tabs.channels' | translate }}</a
        >
      }
      <a
        mat-button
        routerLink="history"
        routerLinkActive="active"
        ariaCurrentWhenActive="page"
        data-testid="alerts-tab-history"
        >{{ 'alerts.tabs.history' | translate }}</a
      >
    </nav>
    <router-outlet />
  `,
  styleUrls: ['../../ui/area-page.css', './alerts.css'],
})
export class AlertsTabs {
  private readonly ability = inject(AbilityService);
  protected readonly canReadChannels = computed(() => this.ability.can('read', 'NotificationChannel'));
}
