import type { GatewayKey } from '../../models/gateway-key';
import { GatewayKeyRepository } from '../../repositories';
import { refuseDuplicate, storedCopy } from './stored-copy';

/** Gateway keys in memory, for tests of code that issues and checks them; unique names and hashes as in SQL. */
export class InMemoryGatewayKeyRepository extends GatewayKeyRepository {
  /** By id. */
  readonly keys = new Map<string, GatewayKey>();

  async findAll(): Promise<GatewayKey[]> {
    return [...this.keys.values()].sort((a, b) => a.name.localeCompare(b.name)).map(storedCopy);
  }

  async findByName(name: string): Promise<GatewayKey | null> {
    const key = [...this.keys.values()].find((k) => k.name === name);
    return key ? storedCopy(key) : null;
  }

  async findById(id: string): Promise<GatewayKey | null> {
    const key = this.keys.get(id);
    return key ? storedCopy(key) : null;
  }

  async save(key: GatewayKey): Promise<GatewayKey> {
    refuseDuplicate(this.keys.values(), key, 'name', 'gateway_keys');
    refuseDuplicate(this.keys.values(), key, 'hash', 'gateway_keys');
    this.keys.set(key.id, storedCopy(key));
    return key;
  }
}
