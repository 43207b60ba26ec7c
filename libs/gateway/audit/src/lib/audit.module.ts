import { Global, Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail';

/** The audit trail, for every module (needs AuditEventRepository from the global persistence module). */
@Global()
@Module({ providers: [AuditTrail], exports: [AuditTrail] })
export class AuditModule {}
