import type { Route as StoredRoute } from '../../models/route';
import { RouteRepository } from '../../repositories';

export class InMemoryRouteRepository extends RouteRepository {
  readonly routes = new Map<string, StoredRoute>();
  /** Set to make the next save fail, as a lost database would. */
  failSave: Error | undefined;

  async findAll(): Promise<StoredRoute[]> {
    return [...this.routes.values()].sort((a, b) => a.name.localeCompare(b.name)).map((r) => structuredClone(r));
  }

  async findByName(name: string): Promise<StoredRoute | null> {
    const route = this.routes.get(name);
    return route ? structuredClone(route) : null;
  }

  async save(route: StoredRoute): Promise<StoredRoute> {
    if (this.failSave) throw this.failSave;
    this.routes.set(route.name, structuredClone(route));
    return route;
  }

  async delete(name: string): Promise<boolean> {
    return this.routes.delete(name);
  }
}
