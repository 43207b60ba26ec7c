import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

export interface LoginCredentials {
  email: string;
  password: string;
}

/** Talks to the gateway's REST auth endpoints (`/api/auth/*`). */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);

  /**
   * Emits once when the gateway accepts the credentials and errors with the
   * `HttpErrorResponse` otherwise. The response body is not used yet: session
   * handling arrives together with the gateway's auth endpoint.
   */
  login(credentials: LoginCredentials): Observable<void> {
    return this.http
      .post<unknown>('/api/auth/login', {
        email: credentials.email,
        password: credentials.password,
      })
      .pipe(map(() => undefined));
  }
}
