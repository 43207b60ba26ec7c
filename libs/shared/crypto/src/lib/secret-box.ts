import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** A 256-bit key and the short id stored beside every value it encrypts. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Derives the AES key from an operator-supplied secret of any length (at least 32 characters). */
export function deriveMasterKey(secret: string): MasterKey {
  if (secret.length < 32) {
    throw new Error('the master secret must be at least 32 characters long');
  }
  const key = Buffer.from(hkdfSync('sha256', secret, 'synapsehub', 'secret-box v1', 32));
  const id = createHash('sha256').update('kid').update(key).digest('hex').slice(0, 8);
  return { id, key };
}

/**
 * A 256-bit key for another job (signing tokens, ...), derived one way from a master key: every
 * replica with the same secret derives the same subkey, and a subkey never reveals the master key.
 */
export function deriveSubkey(master: MasterKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master.key, 'synapsehub', `subkey ${purpose}`, 32));
}

/** A fresh random secret suitable for `deriveMasterKey`. */
export function generateMasterSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * AES-256-GCM encryption of upstream secrets. Values look like `v1.<keyId>.<iv>.<ciphertext+tag>`,
 * so that values written under an older master key can still be read during a key rotation.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly current: MasterKey,
    previous: readonly MasterKey[] = [],
  ) {
    for (const k of [current, ...previous]) this.keys.set(k.id, k.key);
  }

  get keyId(): string {
    return this.current.id;
  }

  /** A key for `purpose` derived from the current master key (see `deriveSubkey`). */
  subkey(purpose: string): Buffer {
    return deriveSubkey(this.current, purpose);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.current.id, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(value: string): string {
    const [version, keyId, ivText, bodyText] = value.split('.');
    if (version !== VERSION || !keyId || !ivText || !bodyText) {
      throw new Error('not an encrypted secret');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`secret was encrypted under an unknown master key (${keyId})`);
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Whether values sealed under this key id can be read: the current key or a previous one. */
  knows(keyId: string | undefined): boolean {
    return keyId !== undefined && this.keys.has(keyId);
  }

  /** The id of the key a stored value was encrypted with. */
  static keyIdOf(value: string): string | undefined {
    return value.split('.')[1];
  }

  /** Whether a stored value has the shape of a sealed one (`v1.<keyId>.<iv>.<body>`). */
  static isSealed(value: string): boolean {
    return /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
  }
}
