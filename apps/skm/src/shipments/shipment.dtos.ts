/** Request bodies of the shipment endpoints (docs/SKM.md, "Key shipments"). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_WRAPPED_IMPORT_ITEMS, METER_KEY_KINDS, type MeterKeyKind } from '@smpki/skm';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBase64, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

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

/** One key of POST /v1/meters/keys/import */
export class WrappedKeyItemDto {
  @ApiProperty({ description: 'Meter id, 16 hex digits' })
  @Matches(/^[0-9A-Fa-f]{16}$/)
  meterId!: string;

  @ApiProperty({ enum: METER_KEY_KINDS })
  @IsIn(METER_KEY_KINDS)
  kind!: MeterKeyKind;

  @ApiProperty({ description: 'RFC 3394 blob under the transport key, hex (24 bytes for AES-128, 40 for AES-256)' })
  @Length(2, 160)
  @Matches(/^(?:[0-9A-Fa-f]{2})+$/)
  wrapped!: string;

  @ApiProperty({ description: 'Key check value of the clear key: AES-ECB(key, 0^16), first 3 bytes, hex' })
  @Matches(/^[0-9A-Fa-f]{6}$/)
  kcv!: string;
}

/** POST /v1/meters/keys/import */
export class ImportWrappedKeysDto {
  @ApiProperty({ description: 'Name of your transport key (pre-agreed with the sender) the keys are wrapped under' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,47}$/)
  transportKey!: string;

  @ApiProperty({ type: [WrappedKeyItemDto], description: `At most ${MAX_WRAPPED_IMPORT_ITEMS} keys` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WRAPPED_IMPORT_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => WrappedKeyItemDto)
  items!: WrappedKeyItemDto[];
}
