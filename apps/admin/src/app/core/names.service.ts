import { Injectable, computed, inject, signal } from '@angular/core';
import type { SubjectName } from '@synapse/rbac';
import { Apollo, gql } from 'apollo-angular';
import type { TypedDocumentNode } from '@apollo/client';
import { AuthService } from '../auth/auth.service';
import { AbilityService } from './ability.service';

export type NamedKind = 'KEY' | 'USER' | 'TEAM' | 'CHANNEL';

interface Named {
  id: string;
  name?: string | null;
  email?: string;
}

const LOOKUPS: Record<NamedKind, { subject: SubjectName; query: TypedDocumentNode<Record<string, Named[]>> }> = {
  KEY: {
    subject: 'GatewayKey',
    query: gql`
      query ConsoleKeyNames {
        items: gatewayKeys {
          id
          name
        }
      }
    `,
  },
  USER: {
    subject: 'User',
    query: gql`
      query ConsoleUserNames {
        items: users {
          id
          name
          email
        }
      }
    `,
  },
  TEAM: {
    subject: 'Team',
    query: gql`
      query ConsoleTeamNames {
        items: teams {
          id
          name
        }
      }
    `,
  },
  CHANNEL: {
    subject: 'Channel',
    query: gql`
      query ConsoleChannelNames {
        items: channels {
          id
          name
        }
      }
    `,
  },
};

/**
 * Names for the ids that usage, live metrics and the request log carry (keys, users, teams,
 * channels): read once per kind, only for the kinds the account may read. An id without a name
 * (not readable, deleted) shows as itself.
 */
@Injectable() // provided by the shell's route, beside Apollo
export class NamesService {
  private readonly apollo = inject(Apollo);
  private readonly ability = inject(AbilityService);
  private readonly names = signal<Partial<Record<NamedKind, ReadonlyMap<string, string>>>>({});
  private readonly requested = new Set<NamedKind>();
  /** When each kind was last read: an unknown id (a key created since) reads it again, at most every 30 s. */
  private readonly readAt = new Map<NamedKind, number>();

  constructor() {
    // The next account may read other names (or fewer): forget them at sign-out.
    inject(AuthService).signedOut$.subscribe(() => {
      this.names.set({});
      this.requested.clear();
      this.readAt.clear();
    });
  }

  /** The options of a select: every known id of a kind with its name, by name. */
  options(kind: NamedKind) {
    this.load(kind);
    return computed(() =>
      [...(this.names()[kind] ?? new Map<string, string>()).entries()]
        .map(([id, name]) => ({ id, name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  /** The name of an id of this kind, the id itself until (or unless) it is known. */
  label(kind: NamedKind | 'MODEL' | 'NONE' | string, id: string | null | undefined): string {
    if (!id) return '—';
    if (kind === 'KEY' || kind === 'USER' || kind === 'TEAM' || kind === 'CHANNEL') {
      this.load(kind);
      const name = this.names()[kind]?.get(id);
      if (name === undefined) this.reloadIfStale(kind);
      return name ?? id;
    }
    return id;
  }

  private load(kind: NamedKind): void {
    if (this.requested.has(kind) || !this.ability.can('read', LOOKUPS[kind].subject)) return;
    this.requested.add(kind);
    // Later, not now: label() is read inside computed signals, which must not write signals.
    queueMicrotask(() => this.fetch(kind));
  }

  private reloadIfStale(kind: NamedKind): void {
    const at = this.readAt.get(kind);
    if (at === undefined || Date.now() - at < 30_000) return;
    this.readAt.set(kind, Date.now());
    queueMicrotask(() => this.fetch(kind, 'network-only'));
  }

  private fetch(kind: NamedKind, fetchPolicy: 'cache-first' | 'network-only' = 'cache-first'): void {
    this.readAt.set(kind, Date.now());
    this.apollo.query({ query: LOOKUPS[kind].query, errorPolicy: 'ignore', fetchPolicy }).subscribe({
      next: (result) => {
        const items = result.data?.['items'] ?? [];
        const map = new Map(items.map((item) => [item.id, item.name || item.email || item.id]));
        this.names.update((all) => ({ ...all, [kind]: map }));
      },
      error: () => this.requested.delete(kind),
    });
  }
}
