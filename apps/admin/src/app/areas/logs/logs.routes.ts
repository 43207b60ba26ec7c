import type { Routes } from '@angular/router';
import { LogsPage } from './logs-page';

export const LOGS_ROUTES: Routes = [{ path: '', component: LogsPage }];
