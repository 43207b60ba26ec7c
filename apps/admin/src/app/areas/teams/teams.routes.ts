import type { Routes } from '@angular/router';
import { TeamsPage } from './teams-page';

export const TEAMS_ROUTES: Routes = [{ path: '', component: TeamsPage }];
