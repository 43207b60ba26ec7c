import type { GatewayKey } from '../../models/gateway-key';
import { GatewayKeyRepository } from '../../repositories';

export class InMemoryGatewayKeyRepository extends GatewayKeyRepository {
  readonly keys = new Map<string, GatewayKey>();

  async findAll(): Promise<GatewayKey[]> {
    return [...this.keys.values()].sort((a, b) => a.name.localeCompare(b.name)).map((k) => copy(k));
  }

  async findByName(name: string): Promise<GatewayKey | null> {
    const key = [...this.keys.values()].find((k) => k.name === name);
    return key ? copy(key) : null;
  }

  async findById(id: string): Promise<GatewayKey | null> {
    const key = this.keys.get(id);
    return key ? copy(key) : null;
  }

  async save(key: GatewayKey): Promise<GatewayKey> {
    this.keys.set(key.id, copy(key));
    return key;
  }
}

/** A copy that the caller may change; not structuredClone, whose Dates fail `instanceof Date` under Jest. */
function copy(key: GatewayKey): GatewayKey {
  return {
    ...key,
    models: [...key.models],
    endpoints: key.endpoints && [...key.endpoints],
    ipAllow: key.ipAllow && [...key.ipAllow],
  };
}
