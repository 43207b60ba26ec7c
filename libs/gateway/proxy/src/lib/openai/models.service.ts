import { Injectable } from '@nestjs/common';
import type { ActiveKey, PublicModel } from '../catalog/catalog-snapshot';
import { CatalogService } from '../catalog/catalog.service';
import { Errors } from '@synapse/gateway/errors';

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

  /** For a key the gateway key strategy has authenticated. */
  list(key: ActiveKey): { object: 'list'; data: ModelObject[] } {
    return { object: 'list', data: this.catalog.snapshot.modelsFor(key).map(toModelObject) };
  }

  get(key: ActiveKey, id: string): ModelObject {
    const model = this.catalog.snapshot.model(id);
    if (!model || !key.allows(id)) throw Errors.modelNotFound(id);
    return toModelObject(model);
  }
}

function toModelObject(model: PublicModel): ModelObject {
  return { id: model.id, object: 'model', created: model.created, owned_by: model.ownedBy };
}
