import type { Routes } from '@angular/router';
import { ModelsPage } from './models-page';

export const MODELS_ROUTES: Routes = [{ path: '', component: ModelsPage }];
