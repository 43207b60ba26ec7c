import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { Observable, map, tap } from 'rxjs';

export interface LoginCredentials {
  email: string;
  password: string;
}

/** What `POST /api/auth/login` and `POST /api/auth/oidc/exchange` answer. */
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

/** Talks to the gateway's REST auth endpoints (`/api/auth/*`) and holds the session they start. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly tokens = signal<TokenPair | null>(null);

  /** The current session's tokens, in memory only: a reload signs out until refresh lands. */
  readonly session = this.tokens.asReadonly();

  /** Emits once when the gateway accepts the credentials and errors with the `HttpErrorResponse` otherwise. */
  login(credentials: LoginCredentials): Observable<void> {
    return this.http
      .post<TokenPair>('/api/auth/login', { email: credentials.email, password: credentials.password })
      .pipe(
        tap((pair) => this.tokens.set(pair)),
        map(() => undefined),
      );
  }

  /** Trades the one-time code that single sign-on left in the URL for the same session a password gives. */
  exchangeSsoCode(code: string): Observable<void> {
    return this.http.post<TokenPair>('/api/auth/oidc/exchange', { code }).pipe(
      tap((pair) => this.tokens.set(pair)),
      map(() => undefined),
    );
  }

  methods(): Observable<AuthMethods> {
    return this.http.get<AuthMethods>('/api/auth/methods');
  }
}
