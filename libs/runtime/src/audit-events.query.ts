import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Paging through the audit trail: entries after a sequence number, oldest first. */
export class AuditEventsQuery {
  @ApiPropertyOptional({ description: 'Return entries with seq greater than this', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterSeq = 0;

  @ApiPropertyOptional({ description: 'At most this many entries', default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional({ description: 'Only this action, e.g. hsm.key.create' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  action?: string;
}
