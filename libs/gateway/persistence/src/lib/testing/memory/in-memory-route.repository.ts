import type { Route as StoredRoute } from '../../models/route';
import { RouteRepository } from '../../repositories';
import { refuseDuplicate, storedCopy } from './stored-copy';

/** Routes in memory, for tests of code that edits them; a unique name per route as in SQL. */
export class InMemoryRouteRepository extends RouteRepository {
  /** By id. */
  readonly routes = new Map<string, StoredRoute>();
  /** Set to make the next save fail, as a lost database would. */
  failSave: Error | undefined;

  async findAll(): Promise<StoredRoute[]> {
    return [...this.routes.values()].sort((a, b) => a.name.localeCompare(b.name)).map(storedCopy);
  }

  async findByName(name: string): Promise<StoredRoute | null> {
    const route = this.find(name);
    return route ? storedCopy(route) : null;
  }

  async save(route: StoredRoute): Promise<StoredRoute> {
    if (this.failSave) throw this.failSave;
    refuseDuplicate(this.routes.values(), route, 'name', 'routes');
    this.routes.set(route.id, storedCopy(route));
    return route;
  }

  async delete(name: string): Promise<boolean> {
    const route = this.find(name);
    return route ? this.routes.delete(route.id) : false;
  }

  private find(name: string): StoredRoute | undefined {
    return [...this.routes.values()].find((r) => r.name === name);
  }
}
