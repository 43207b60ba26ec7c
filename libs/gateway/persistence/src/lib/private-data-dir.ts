import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The data folder holds the store, the master key and generated credentials: its owner's only. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Creates the data folder if needed and takes away what group and others may do with it and with
 * the files directly in it (a folder made by an older version, or by hand, may be 0755 with 0644
 * files). What cannot be changed (another owner, a read-only mount) is reported, not fatal.
 * Returns the folder's absolute path.
 */
export function securePrivateDir(dir: string, warn: (message: string) => void): string {
  const path = resolve(dir);
  mkdirSync(path, { recursive: true, mode: DIR_MODE });
  restrict(path, DIR_MODE, warn);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    // Symbolic links are left alone: what they point at is not the gateway's to change.
    if (entry.isFile()) restrict(join(path, entry.name), FILE_MODE, warn);
  }
  return path;
}

/** Creates the file empty with owner-only access if it does not exist; files derived from it (SQLite's WAL) inherit that. */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', FILE_MODE));
}

function restrict(path: string, mode: number, warn: (message: string) => void): void {
  try {
    if ((statSync(path).mode & 0o777 & ~mode) === 0) return;
    chmodSync(path, mode);
  } catch (error) {
    warn(`could not restrict ${path} to mode ${mode.toString(8)}: ${(error as Error).message}`);
  }
}
