import type { Repository } from 'typeorm';
import type { Channel } from '../models/channel';
import type { GatewayKey } from '../models/gateway-key';
import type { RequestLogEntry } from '../models/request-log';
import type { User } from '../models/user';
import {
  ChannelRepository,
  GatewayKeyRepository,
  RequestLogRepository,
  UserRepository,
  type RequestLogQuery,
} from '../repositories';
import type { Store } from './data-source';

export class TypeOrmChannelRepository extends ChannelRepository {
  private readonly repo: Repository<Channel>;
  constructor(store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.channel);
  }
  findAll() {
    return this.repo.find({ order: { name: 'ASC' } });
  }
  findByName(name: string) {
    return this.repo.findOneBy({ name });
  }
  save(channel: Channel) {
    return this.repo.save(channel);
  }
}

export class TypeOrmGatewayKeyRepository extends GatewayKeyRepository {
  private readonly repo: Repository<GatewayKey>;
  constructor(store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.gatewayKey);
  }
  findAll() {
    return this.repo.find({ order: { name: 'ASC' } });
  }
  findByName(name: string) {
    return this.repo.findOneBy({ name });
  }
  save(key: GatewayKey) {
    return this.repo.save(key);
  }
}

export class TypeOrmUserRepository extends UserRepository {
  private readonly repo: Repository<User>;
  constructor(store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.user);
  }
  count() {
    return this.repo.count();
  }
  findByEmail(email: string) {
    return this.repo.findOneBy({ email: email.toLowerCase() });
  }
  save(user: User) {
    return this.repo.save({ ...user, email: user.email.toLowerCase() });
  }
}

/** Rows per INSERT statement: well under SQLite's bound-parameter limit. */
const INSERT_CHUNK = 200;

export class TypeOrmRequestLogRepository extends RequestLogRepository {
  private readonly repo: Repository<RequestLogEntry>;
  constructor(private readonly store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.requestLog);
  }
  async insertMany(entries: readonly RequestLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.store.dataSource.transaction(async (manager) => {
      for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
        await manager.insert(this.store.entities.requestLog, entries.slice(i, i + INSERT_CHUNK));
      }
    });
  }
  findById(id: string) {
    return this.repo.findOneBy({ id });
  }
  find(query: RequestLogQuery = {}) {
    const qb = this.repo.createQueryBuilder('log').orderBy('log.createdAt', 'DESC').addOrderBy('log.id', 'DESC');
    if (query.keyId) qb.andWhere('log.keyId = :keyId', { keyId: query.keyId });
    if (query.since) qb.andWhere('log.createdAt >= :since', { since: query.since });
    return qb.take(Math.min(query.limit ?? 100, 1000)).getMany();
  }
  count() {
    return this.repo.count();
  }
}
