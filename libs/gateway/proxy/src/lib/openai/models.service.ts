import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { PublicModel } from '../catalog/catalog-snapshot';
import { CatalogService } from '../catalog/catalog.service';
import { Errors } from '../errors/gateway-error';
import { authenticate } from './key-auth';

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** `/v1/models`: only what the calling key may use, so a key never learns of other models. */
@Injectable()
export class ModelsService {
  constructor(private readonly catalog: CatalogService) {}

  list(headers: IncomingHttpHeaders, clientIp: string | undefined): { object: 'list'; data: ModelObject[] } {
    const snapshot = this.catalog.snapshot;
    const key = authenticate(headers, snapshot, clientIp);
    return { object: 'list', data: snapshot.modelsFor(key).map(toModelObject) };
  }

  get(headers: IncomingHttpHeaders, clientIp: string | undefined, id: string): ModelObject {
    const snapshot = this.catalog.snapshot;
    const key = authenticate(headers, snapshot, clientIp);
    const model = snapshot.model(id);
    if (!model || !key.allows(id)) throw Errors.modelNotFound(id);
    return toModelObject(model);
  }
}

function toModelObject(model: PublicModel): ModelObject {
  return { id: model.id, object: 'model', created: model.created, owned_by: model.ownedBy };
}
