import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** POST /v1/cas/{ca}/crmf */
export class CrmfRequestDto {
  @ApiProperty({ description: 'SM-PKI request, base64 or PEM: initial (ContentInfo 0.4.0.127.0.7.4.1.1.1) or renewal (0.4.0.127.0.7.4.1.1.2, SignedData by the old signature key)' })
  @IsString()
  @MaxLength(262_144)
  request!: string;
}
