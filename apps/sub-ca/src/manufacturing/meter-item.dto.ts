import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { METER_TYPES, type MeterType } from '@smpki/registry';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * One meter of POST /v1/meters and /v1/meters/batch. The meter id is only checked for its shape here: its
 * format and FLAG id are per-item rules (meter.id-format, meter.foreign-manufacturer) that refuse the item, not
 * the batch.
 */
export class MeterItemDto {
  @ApiProperty({ description: 'DIN 43863-5 meter id; characters 2-4 are the FLAG id of the caller', example: '1EMH0012345678' })
  @IsString()
  @MaxLength(32)
  meterId!: string;

  @ApiPropertyOptional({ enum: METER_TYPES, default: 'electricity' })
  @IsOptional()
  @IsIn(METER_TYPES)
  type?: MeterType;

  @ApiPropertyOptional({ example: 'eHZ-B' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  model?: string;

  @ApiPropertyOptional({ example: '1.4.2' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  firmwareVersion?: string;

  @ApiPropertyOptional({ example: '2026-11-21' })
  @IsOptional()
  @Matches(/^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/)
  calibrationDate?: string;

  @ApiPropertyOptional({ example: 'line-7' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  calibrationStation?: string;

  @ApiProperty({ description: "The meter's key with proof of possession: PKCS#10 or SM-PKI CRMF (one CertReqMsg), PEM or base64 of the DER" })
  @IsString()
  @MaxLength(65_536)
  request!: string;

  @ApiPropertyOptional({ description: 'Re-enrolment after erasure/repair: another key replaces the certified one (old certificate revoked, superseded)' })
  @IsOptional()
  @IsBoolean()
  replacement?: boolean;
}
