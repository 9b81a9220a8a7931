import { ApiProperty } from '@nestjs/swagger';
import { MAX_BATCH_ITEMS } from '@smpki/ca';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { MeterItemDto } from './meter-item.dto';

/** POST /v1/meters/batch */
export class MeterBatchDto {
  @ApiProperty({ type: [MeterItemDto], description: `1 to ${MAX_BATCH_ITEMS} meters of a production batch` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => MeterItemDto)
  items!: MeterItemDto[];
}
