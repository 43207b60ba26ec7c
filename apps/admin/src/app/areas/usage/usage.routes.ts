import type { Routes } from '@angular/router';
import { provideCharts } from '../../core/charts/echarts-setup';
import { UsagePage } from './usage-page';

export const USAGE_ROUTES: Routes = [{ path: '', component: UsagePage, providers: [provideCharts()] }];
