import { HttpClient } from '@angular/common/http';
import { Injectable, OnDestroy, inject, signal } from '@angular/core';
import { Observable, Subject, firstValueFrom, map, tap } from 'rxjs';

export interface LoginCredentials {
  email: string;
  password: string;
}

/** What `POST /api/auth/login`, `/refresh` and `/oidc/exchange` answer. */
export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

/** `GET /api/auth/methods`: which sign-in methods the gateway offers. */
export interface AuthMethods {
  password: boolean;
  oidc: { name: string; loginUrl: string } | null;
}

/** The session as kept in sessionStorage: the pair and when each token expires (ms since epoch). */
interface StoredSession {
  pair: TokenPair;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

export const SESSION_STORAGE_KEY = 'synapse.session';
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Talks to the gateway's REST auth endpoints (`/api/auth/*`) and holds the session they start. The
 * token pair lives in sessionStorage (a reload stays signed in, a new tab signs in again); the access
 * token is refreshed a minute before it expires and whenever the API calls it invalid. Refreshes are
 * sent one at a time: the gateway ends a session whose refresh token is presented twice.
 */
@Injectable({ providedIn: 'root' })
export class AuthService implements OnDestroy {
  private readonly http = inject(HttpClient);
  private readonly stored = signal<StoredSession | null>(readStored());
  private refreshing: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly signedOutSubject = new Subject<void>();

  /** The current session's tokens, or null when signed out. */
  readonly session = signal<TokenPair | null>(this.stored()?.pair ?? null);
  /** Emits when the session ends (sign-out, or a refresh the gateway refused). */
  readonly signedOut$ = this.signedOutSubject.asObservable();

  constructor() {
    this.schedule();
  }

  ngOnDestroy(): void {
    clearTimeout(this.timer);
  }

  /** Whether there is a session whose refresh token has not expired. */
  signedIn(): boolean {
    const stored = this.stored();
    return stored !== null && stored.refreshExpiresAt > Date.now();
  }

  /** The access token as it is now (possibly expired); null when signed out. */
  accessToken(): string | null {
    return this.stored()?.pair.accessToken ?? null;
  }

  /** An access token that is valid for a while yet: refreshed first when it is about to expire. */
  async validAccessToken(): Promise<string | null> {
    const stored = this.stored();
    if (!stored) return null;
    if (stored.accessExpiresAt - Date.now() > 5_000) return stored.pair.accessToken;
    try {
      return await this.refresh();
    } catch {
      return null;
    }
  }

  /** Emits once when the gateway accepts the credentials and errors with the `HttpErrorResponse` otherwise. */
  login(credentials: LoginCredentials): Observable<void> {
    return this.http
      .post<TokenPair>('/api/auth/login', { email: credentials.email, password: credentials.password })
      .pipe(
        tap((pair) => this.start(pair)),
        map(() => undefined),
      );
  }

  /** Trades the one-time code that single sign-on left in the URL for the same session a password gives. */
  exchangeSsoCode(code: string): Observable<void> {
    return this.http.post<TokenPair>('/api/auth/oidc/exchange', { code }).pipe(
      tap((pair) => this.start(pair)),
      map(() => undefined),
    );
  }

  methods(): Observable<AuthMethods> {
    return this.http.get<AuthMethods>('/api/auth/methods');
  }

  /**
   * A new access token (and the next refresh token) from `POST /api/auth/refresh`. Concurrent callers
   * share one request. A refused refresh ends the session here too (signedOut$ emits) and rejects.
   */
  refresh(): Promise<string> {
    if (this.refreshing) return this.refreshing;
    const stored = this.stored();
    if (!stored) return Promise.reject(new Error('Not signed in.'));
    this.refreshing = firstValueFrom(
      this.http.post<TokenPair>('/api/auth/refresh', { refreshToken: stored.pair.refreshToken }),
    )
      .then(
        (pair) => {
          this.start(pair);
          return pair.accessToken;
        },
        (error: unknown) => {
          // Unreachable gateway: keep the session and let the next call try again; refused: it is over.
          if ((error as { status?: number }).status !== 0) this.end();
          throw error;
        },
      )
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Ends the session at the gateway (`POST /api/auth/logout`) and here, whatever the gateway answers. */
  async logout(): Promise<void> {
    const refreshToken = this.stored()?.pair.refreshToken;
    this.end();
    if (!refreshToken) return;
    try {
      await firstValueFrom(this.http.post('/api/auth/logout', { refreshToken }));
    } catch {
      // Signed out here either way; the refresh token expires on its own.
    }
  }

  private start(pair: TokenPair): void {
    const now = Date.now();
    const session: StoredSession = {
      pair,
      accessExpiresAt: now + pair.expiresIn * 1000,
      refreshExpiresAt: now + pair.refreshExpiresIn * 1000,
    };
    this.stored.set(session);
    this.session.set(pair);
    try {
      sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    } catch {
      // Storage refused (private mode, quota): the session lasts until the tab reloads.
    }
    this.schedule();
  }

  private end(): void {
    const wasSignedIn = this.stored() !== null;
    clearTimeout(this.timer);
    this.stored.set(null);
    this.session.set(null);
    try {
      sessionStorage.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // nothing stored
    }
    if (wasSignedIn) this.signedOutSubject.next();
  }

  /** Refreshes a minute before the access token expires (at once after a reload when it has). */
  private schedule(): void {
    clearTimeout(this.timer);
    const stored = this.stored();
    if (!stored) return;
    const delay = Math.max(0, stored.accessExpiresAt - Date.now() - REFRESH_MARGIN_MS);
    // Timers are capped at 2^31-1 ms; access tokens live minutes.
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), Math.min(delay, 2_000_000_000));
  }
}

function readStored(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredSession;
    if (typeof parsed?.pair?.accessToken !== 'string' || typeof parsed.refreshExpiresAt !== 'number') return null;
    return parsed.refreshExpiresAt > Date.now() ? parsed : null;
  } catch {
    return null;
  }
}
