import { HttpClient, HttpErrorResponse, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { AuthService } from '../../auth/auth.service';
import { errorMessage } from '../../core/error-message';

/**
 * Downloads the CSV export of a period (`GET /api/usage/export.csv`, docs/usage-and-cost.md): read
 * with the access token, then saved by the browser under the name the gateway gives.
 */
@Injectable({ providedIn: 'root' })
export class UsageExport {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthService);

  /** Resolves with the file name once saved; rejects with a one-line message. */
  async download(params: Record<string, string>): Promise<string> {
    const token = await this.auth.validAccessToken();
    let response: HttpResponse<Blob>;
    try {
      response = await firstValueFrom(
        this.http.get('/api/usage/export.csv', {
          params,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          responseType: 'blob',
          observe: 'response',
        }),
      );
    } catch (error) {
      throw new Error(await describe(error));
    }
    const name = fileName(response.headers.get('content-disposition')) ?? 'usage.csv';
    save(response.body ?? new Blob([]), name);
    return name;
  }
}

/** `attachment; filename="usage-day-key-….csv"` → the name. */
export function fileName(disposition: string | null): string | null {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return match ? match[1] : null;
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The gateway's error body comes as a Blob here: read it for its message. */
async function describe(error: unknown): Promise<string> {
  if (error instanceof HttpErrorResponse && error.error instanceof Blob) {
    try {
      const body = JSON.parse(await error.error.text()) as unknown;
      return errorMessage(new HttpErrorResponse({ status: error.status, statusText: error.statusText, error: body }));
    } catch {
      return errorMessage(new HttpErrorResponse({ status: error.status, statusText: error.statusText }));
    }
  }
  return errorMessage(error);
}
