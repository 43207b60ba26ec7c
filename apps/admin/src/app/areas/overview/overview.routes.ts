import type { Routes } from '@angular/router';
import { provideCharts } from '../../core/charts/echarts-setup';
import { OverviewPage } from './overview-page';

export const OVERVIEW_ROUTES: Routes = [{ path: '', component: OverviewPage, providers: [provideCharts()] }];
