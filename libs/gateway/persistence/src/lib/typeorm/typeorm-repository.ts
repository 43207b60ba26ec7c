import type { EntitySchema, FindOptionsOrder, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import type { Store } from './data-source';

export interface TypeOrmRepositoryOptions<Model, Id extends keyof Model> {
  /** The column that `findById` and `delete` look rows up by: the primary key (a role's is its name). */
  id: Id;
  /** The order of `findAll`. */
  order: FindOptionsOrder<Model>;
}

/**
 * Find, list, save and delete on one entity schema: what every TypeORM repository did alike. Rows
 * are written through `toRow` and read through `toModel`, the identity unless a repository
 * normalises a column; the per-repository classes add their own lookups and conditional writes.
 */
export abstract class TypeOrmRepository<Model extends ObjectLiteral, Id extends keyof Model & string> {
  protected readonly rows: Repository<Model>;

  protected constructor(
    protected readonly store: Store,
    entity: EntitySchema<Model>,
    private readonly options: TypeOrmRepositoryOptions<Model, Id>,
  ) {
    this.rows = store.dataSource.getRepository(entity);
  }

  findById(id: Model[Id]): Promise<Model | null> {
    return this.findOneBy(this.byId(id));
  }

  async findAll(): Promise<Model[]> {
    const rows = await this.rows.find({ order: this.options.order });
    return rows.map((row) => this.toModel(row));
  }

  async save(model: Model): Promise<Model> {
    // One row is one statement: no transaction of its own, which on SQLite's single connection
    // could collide with a concurrent `Store.transaction`.
    return this.toModel(await this.rows.save(this.toRow(model), { transaction: false }));
  }

  /** Removes the row; false when there was none. */
  delete(id: Model[Id]): Promise<boolean> {
    return this.deleteBy(this.byId(id));
  }

  protected async findOneBy(where: FindOptionsWhere<Model>): Promise<Model | null> {
    const row = await this.rows.findOneBy(where);
    return row && this.toModel(row);
  }

  protected async deleteBy(where: FindOptionsWhere<Model>): Promise<boolean> {
    const result = await this.rows.delete(where);
    return (result.affected ?? 0) > 0;
  }

  /** The row written for a model. */
  protected toRow(model: Model): Model {
    return model;
  }

  /** The model read from a row. */
  protected toModel(row: Model): Model {
    return row;
  }

  private byId(id: Model[Id]): FindOptionsWhere<Model> {
    return { [this.options.id]: id } as FindOptionsWhere<Model>;
  }
}
