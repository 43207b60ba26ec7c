import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Request-log entries kept on disk while the database cannot take them: past the in-memory bound
 * during an outage, and whatever is left at shutdown. One file per spill, one JSON entry per line,
 * written whole (a temporary name, then renamed) so that a crash never leaves half a file to replay.
 * Writes are synchronous: they are rare (an outage past the bound, or the last act of the process)
 * and must be on disk before the entries leave memory.
 */
export class RequestLogSpill {
  private sequence = 0;

  constructor(readonly dir: string) {}

  keep(entries: readonly RequestLogEntry[]): void {
    if (entries.length === 0) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Replicas may share the folder (and be pid 1 each, in containers): a random part keeps names apart.
    const name = `${Date.now().toString().padStart(15, '0')}-${this.sequence++}-${randomUUID().slice(0, 8)}.ndjson`;
    const temporary = join(this.dir, `.${name}.tmp`);
    try {
      writeFileSync(temporary, entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n', { mode: 0o600 });
      renameSync(temporary, join(this.dir, name));
    } catch (error) {
      // A full disk leaves a partial file behind: it would hold space and never be read.
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  /** Spilled files, oldest first. */
  files(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((name) => name.endsWith('.ndjson'))
        .sort();
    } catch {
      return [];
    }
  }

  read(file: string): RequestLogEntry[] {
    return readFileSync(join(this.dir, file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const entry = JSON.parse(line) as RequestLogEntry;
        entry.createdAt = new Date(entry.createdAt);
        return entry;
      });
  }

  remove(file: string): void {
    rmSync(join(this.dir, file), { force: true });
  }
}
