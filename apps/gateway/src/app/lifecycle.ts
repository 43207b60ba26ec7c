import { Injectable } from '@nestjs/common';

/** Whether the process is shutting down, so readiness turns red before the listener closes. */
@Injectable()
export class Lifecycle {
  draining = false;
}
