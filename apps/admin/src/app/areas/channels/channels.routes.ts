import type { Routes } from '@angular/router';
import { ChannelsPage } from './channels-page';

export const CHANNELS_ROUTES: Routes = [{ path: '', component: ChannelsPage }];
