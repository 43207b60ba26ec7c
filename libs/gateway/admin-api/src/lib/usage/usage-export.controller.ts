import { Controller, Get, Query, Req, StreamableFile, UseGuards } from '@nestjs/common';
import { AccessTokenGuard, SignedInUser, type AuthenticatedUser, type AuthorizedRequest } from '@synapse/gateway/auth';
import { UsageExportService } from './usage-export.service';

/**
 * `GET /api/usage/export.csv`: a usage series as CSV, for the same access token (Bearer) and the
 * same rules as `usageSeries` (members: their own traffic). docs/usage-and-cost.md#csv-export
 */
@Controller('api/usage')
export class UsageExportController {
  constructor(private readonly exports: UsageExportService) {}

  @Get('export.csv')
  @UseGuards(AccessTokenGuard)
  exportCsv(
    @Query() query: Record<string, unknown>,
    @SignedInUser() user: AuthenticatedUser,
    @Req() request: AuthorizedRequest,
  ): Promise<StreamableFile> {
    return this.exports.csv(query, user, request);
  }
}
