import { Injectable, computed, inject, signal } from '@angular/core';
import type { SubjectName } from '@synapse/rbac';
import { Apollo, gql } from 'apollo-angular';
import type { TypedDocumentNode } from '@apollo/client';
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
@Injectable({ providedIn: 'root' })
export class NamesService {
  private readonly apollo = inject(Apollo);
  private readonly ability = inject(AbilityService);
  private readonly names = signal<Partial<Record<NamedKind, ReadonlyMap<string, string>>>>({});
  private readonly requested = new Set<NamedKind>();

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
      return this.names()[kind]?.get(id) ?? id;
    }
    return id;
  }

  private load(kind: NamedKind): void {
    if (this.requested.has(kind) || !this.ability.can('read', LOOKUPS[kind].subject)) return;
    this.requested.add(kind);
    // Later, not now: label() is read inside computed signals, which must not write signals.
    queueMicrotask(() => this.fetch(kind));
  }

  private fetch(kind: NamedKind): void {
    this.apollo.query({ query: LOOKUPS[kind].query, errorPolicy: 'ignore' }).subscribe({
      next: (result) => {
        const items = result.data?.['items'] ?? [];
        const map = new Map(items.map((item) => [item.id, item.name || item.email || item.id]));
        this.names.update((all) => ({ ...all, [kind]: map }));
      },
      error: () => this.requested.delete(kind),
    });
  }
}
