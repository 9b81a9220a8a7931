import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_METER_PAGE, type MeterStatus } from '@smpki/registry';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const STATUSES: MeterStatus[] = ['registered', 'certified', 'replaced', 'retired'];

/** GET /v1/meters?status=&limit=&after= */
export class ListMetersQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: MeterStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_METER_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_METER_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Meter id the page starts after: `next` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  after?: string;
}
