import { ApiProperty } from '@nestjs/swagger';
import { MAX_BATCH_ITEMS } from '@smpki/ca';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { IssueCertificateDto } from './issue-certificate.dto';

/** POST /v1/cas/{ca}/certificates/batch */
export class IssueBatchDto {
  @ApiProperty({ type: [IssueCertificateDto], description: `1 to ${MAX_BATCH_ITEMS} PKCS#10 requests, each with its profile` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => IssueCertificateDto)
  items!: IssueCertificateDto[];
}
