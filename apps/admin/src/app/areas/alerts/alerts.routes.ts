import type { Routes } from '@angular/router';
import { AlertsTabs } from './alerts-tabs';
import { HistoryPage } from './history-page';
import { NotificationChannelsPage } from './notification-channels-page';
import { RulesPage } from './rules-page';

export const ALERTS_ROUTES: Routes = [
  {
    path: '',
    component: AlertsTabs,
    children: [
      { path: '', component: RulesPage },
      { path: 'channels', component: NotificationChannelsPage },
      { path: 'history', component: HistoryPage },
    ],
  },
];
