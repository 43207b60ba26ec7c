import { inject, type EnvironmentProviders, type Provider } from '@angular/core';
import { Dialog } from '@angular/cdk/dialog';
import { MatDialog } from '@angular/material/dialog';
import type { Route } from '@angular/router';
import { provideApollo } from 'apollo-angular';
import { CONSOLE_AREAS, type ConsoleArea } from '../../areas';
import { AbilityService } from '../ability.service';
import { accountGuard } from '../account.guard';
import { AccountService } from '../account.service';
import { consoleApolloOptions } from '../apollo';
import { areaGuard, firstReadableArea } from '../area.guard';
import { NamesService } from '../names.service';
import { ShellLayout } from './shell-layout';

/** The lazy routes of the console's areas: `/<path>`, each for accounts that may read its subject. */
export function areaRoutes(areas: readonly ConsoleArea[]): Route[] {
  return areas.map((area) => ({ path: area.path, canMatch: [areaGuard(area.subject)], loadChildren: area.loadRoutes }));
}

/** Where the console opens: the first area the account may read, or a page saying there is none. */
function startPage(areas: readonly ConsoleArea[]): () => string {
  return () => firstReadableArea(inject(AbilityService), areas)?.path ?? 'welcome';
}

/**
 * The signed-in console, loaded after sign-in: Apollo (HTTP and WebSocket) and the services that use
 * it live here, so that the sign-in page loads none of them.
 */
export function shellRoutes(
  areas: readonly ConsoleArea[],
  apollo: Provider | EnvironmentProviders = provideApollo(consoleApolloOptions),
): Route[] {
  return [
    {
      path: '',
      // The dialog services again here: a dialog's component is created from the injector of the
      // CDK Dialog behind MatDialog, and only this route's injector has Apollo (the root one has not).
      providers: [apollo, AccountService, NamesService, Dialog, MatDialog],
      canMatch: [accountGuard],
      component: ShellLayout,
      children: [
        // The overview for most; the first area the role may read for the others.
        { path: '', pathMatch: 'full', redirectTo: startPage(areas) },
        {
          path: 'welcome',
          loadComponent: () => import('./welcome-page').then((m) => m.WelcomePage),
        },
        ...areaRoutes(areas),
        // Straight to the start page: the router follows one redirect per level, not a chain.
        { path: '**', redirectTo: startPage(areas) },
      ],
    },
  ];
}

export const SHELL_ROUTES: Route[] = shellRoutes(CONSOLE_AREAS);
