import type { Routes } from '@angular/router';
import { KeysPage } from './keys-page';

export const KEYS_ROUTES: Routes = [{ path: '', component: KeysPage }];
