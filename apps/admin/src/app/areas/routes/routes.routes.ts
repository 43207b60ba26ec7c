import type { Routes } from '@angular/router';
import { RoutesPage } from './routes-page';

export const ROUTES_ROUTES: Routes = [{ path: '', component: RoutesPage }];
