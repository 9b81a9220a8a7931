/** Request bodies of the shipment endpoints (docs/SKM.md, "Key shipments"). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { METER_KEY_KINDS, type MeterKeyKind } from '@smpki/skm';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBase64, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** POST /v1/shipments/import */
export class ImportShipmentDto {
  @ApiProperty({ description: 'The CMS EnvelopedData (DER), base64' })
  @IsBase64()
  envelope!: string;

  @ApiPropertyOptional({ description: 'First key to import (0-based); with `count`, for progress in slices' })
  @IsOptional()
  @IsInt()
  @Min(0)
  from?: number;

  @ApiPropertyOptional({ description: 'How many keys from `from` (at most 5000)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  count?: number;
}

/** POST /v1/shipments/export */
export class ExportShipmentDto {
  @ApiProperty({ description: 'Meters whose active keys go out', type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @Matches(/^[0-9A-Fa-f]{16}$/, { each: true })
  meterIds!: string[];

  @ApiPropertyOptional({ enum: METER_KEY_KINDS, isArray: true })
  @IsOptional()
  @IsIn(METER_KEY_KINDS, { each: true })
  kinds?: MeterKeyKind[];

  @ApiProperty({ description: "The recipient's certificate (PEM; brainpoolP256r1 or P-256 key)" })
  @IsString()
  certificate!: string;

  @ApiPropertyOptional({ enum: ['SHA-1', 'SHA-256'], default: 'SHA-256', description: 'Hash of the X9.63 KDF' })
  @IsOptional()
  @IsIn(['SHA-1', 'SHA-256'])
  kdf?: 'SHA-1' | 'SHA-256';
}
