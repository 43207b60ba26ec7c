import type { Routes } from '@angular/router';
import { AlertsTabs } from './alerts-tabs';
import { NotificationChannelsPage } from './notification-channels-page';
import { RulesPage } from './rules-page';

export const ALERTS_ROUTES: Routes = [
  {
    path: '',
    component: AlertsTabs,
    children: [
      { path: '', component: RulesPage },
      { path: 'channels', component: NotificationChannelsPage },
    ],
  },
];
