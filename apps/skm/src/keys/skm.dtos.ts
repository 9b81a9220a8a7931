/** The request bodies of the SKM API (docs/SKM.md), validated by the platform's ValidationPipe. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { METER_KEY_KINDS, TRANSPORT_KEY_COUNTERPARTIES, type MeterKeyKind, type TransportKeyCounterparty } from '@smpki/skm';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

const HEX_BYTES = /^(?:[0-9A-Fa-f]{2})+$/;
const KCV = /^[0-9A-Fa-f]{6}$/;
const TRANSPORT_KEY_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;

/** POST /v1/tenants */
export class CreateTenantDto {
  @ApiProperty({ example: 'Stadtwerke Musterstadt Messstellenbetrieb' })
  @IsString()
  @Length(1, 256)
  name!: string;

  @ApiProperty({ description: '13-digit market-partner id of the metering service provider', example: '9900000000019' })
  @Matches(/^[0-9]{13}$/)
  marketPartnerId!: string;

  @ApiPropertyOptional({ enum: [128, 256], default: 256, description: 'AES size of the master key in the HSM' })
  @IsOptional()
  @IsIn([128, 256])
  masterBits?: 128 | 256;
}

/** POST /v1/tenants/{id}/members */
export class AddTenantMemberDto {
  @ApiProperty({ description: 'Token subject or client-certificate subject DN that acts for the tenant', example: 'msp-security-1' })
  @IsString()
  @Length(1, 256)
  subject!: string;
}

/** POST /v1/transport-keys */
export class CreateTransportKeyDto {
  @ApiProperty({ description: 'Your name for it: lowercase letters, digits, -', example: 'emh-shipments' })
  @Matches(TRANSPORT_KEY_NAME)
  name!: string;

  @ApiProperty({ enum: TRANSPORT_KEY_COUNTERPARTIES })
  @IsIn(TRANSPORT_KEY_COUNTERPARTIES)
  counterparty!: TransportKeyCounterparty;

  @ApiProperty({ enum: [128, 256] })
  @IsIn([128, 256])
  bits!: 128 | 256;

  @ApiPropertyOptional({ description: 'Key components (hex, 2 or more) whose XOR is the key; absent: generated in the HSM', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(5)
  @Matches(HEX_BYTES, { each: true })
  components?: string[];

  @ApiPropertyOptional({ description: 'Expected key check value of the combined key (6 hex digits)' })
  @IsOptional()
  @Matches(KCV)
  kcv?: string;
}

/** POST /v1/meters/{meterId}/keys */
export class GenerateKeysDto {
  @ApiProperty({ enum: ['dlms', 'wmbus'], description: 'dlms: GUEK, GBEK, AK and KEK; wmbus: one OMS key' })
  @IsIn(['dlms', 'wmbus'])
  type!: 'dlms' | 'wmbus';

  @ApiPropertyOptional({ enum: [128, 256], default: 128, description: '256 only for DLMS suite 2' })
  @IsOptional()
  @IsIn([128, 256])
  bits?: 128 | 256;
}

/** POST /v1/meters/{meterId}/keys/import */
export class ImportKeyDto {
  @ApiProperty({ enum: METER_KEY_KINDS })
  @IsIn(METER_KEY_KINDS)
  kind!: MeterKeyKind;

  @ApiProperty({ description: 'Name of your transport key the key is wrapped under' })
  @Matches(TRANSPORT_KEY_NAME)
  transportKey!: string;

  @ApiProperty({ description: 'RFC 3394 blob, hex (24 bytes for AES-128, 40 for AES-256)' })
  @Length(2, 160)
  @Matches(HEX_BYTES)
  wrapped!: string;

  @ApiProperty({ description: 'Key check value of the clear key: AES-ECB(key, 0^16), first 3 bytes, hex' })
  @Matches(KCV)
  kcv!: string;
}

/** POST /v1/meters/{meterId}/keys/{kind}/export */
export class ExportKeyDto {
  @ApiProperty({ description: 'Name of your transport key shared with the recipient' })
  @Matches(TRANSPORT_KEY_NAME)
  transportKey!: string;

  @ApiPropertyOptional({ description: 'Key version; default the active one' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

/** POST /v1/meters/{meterId}/keys/rotation */
export class RotateKeysDto {
  @ApiPropertyOptional({ enum: METER_KEY_KINDS, isArray: true, description: 'Default: every kind the meter has' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(METER_KEY_KINDS, { each: true })
  kinds?: MeterKeyKind[];
}

/** POST /v1/provider-changes */
export class ProviderChangeDto {
  @ApiProperty({ description: 'Market-partner id of the tenant taking the meters over' })
  @Matches(/^[0-9]{13}$/)
  toTenant!: string;

  @ApiProperty({ type: [String], description: 'Meter ids (16 hex digits), at most 500' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(/^[0-9A-Fa-f]{16}$/, { each: true })
  meterIds!: string[];
}
