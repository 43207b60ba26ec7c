import type { Routes } from '@angular/router';
import { AlertsTabs } from './alerts-tabs';
import { RulesPage } from './rules-page';

export const ALERTS_ROUTES: Routes = [
  {
    path: '',
    component: AlertsTabs,
    children: [{ path: '', component: RulesPage }],
  },
];
