import type { Routes } from '@angular/router';
import { RolesPage } from './roles-page';

export const ROLES_ROUTES: Routes = [{ path: '', component: RolesPage }];
