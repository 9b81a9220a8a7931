import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DIRECTORY_ITEM_KINDS, MAX_INGEST_ENTRIES, type DirectoryItemKind } from '@smpki/directory';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBase64, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Min, ValidateIf, ValidateNested } from 'class-validator';

const hasCertificate = (item: DirectoryEntryDto) => item.kind === 'ca' || item.kind === 'certificate';
const isCrl = (item: DirectoryEntryDto) => item.kind === 'crl' || item.kind === 'delta-crl';
const isEndEntity = (item: DirectoryEntryDto) => item.kind === 'certificate';

/** One item of POST /v1/directory/entries (docs/DIRECTORY.md): the fields each kind needs are required for it. */
export class DirectoryEntryDto {
  @ApiProperty({ enum: DIRECTORY_ITEM_KINDS })
  @IsIn(DIRECTORY_ITEM_KINDS)
  kind!: DirectoryItemKind;

  @ApiProperty({ description: 'CA instance name', example: 'calibration' })
  @IsString()
  @Length(1, 64)
  ca!: string;

  @ApiProperty({ description: 'LDAP DN of the entry (RFC 4514)', example: 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE' })
  @IsString()
  @Length(1, 512)
  dn!: string;

  @ApiProperty({ description: 'ISO 8601 instant ordering the updates of this DN' })
  @IsISO8601({ strict: true })
  version!: string;

  @ApiPropertyOptional({ description: 'ca, certificate: base64 DER certificate' })
  @ValidateIf(hasCertificate)
  @IsBase64()
  certificate?: string;

  @ApiPropertyOptional({ description: 'crl, delta-crl: base64 DER CRL' })
  @ValidateIf(isCrl)
  @IsBase64()
  crl?: string;

  @ApiPropertyOptional({ description: 'crl, delta-crl: the CRL number' })
  @ValidateIf(isCrl)
  @IsInt()
  @Min(0)
  crlNumber?: number;

  @ApiPropertyOptional({ description: 'certificate: serial number, hex' })
  @ValidateIf(isEndEntity)
  @Matches(/^[0-9a-fA-F]{1,40}$/)
  serial?: string;

  @ApiPropertyOptional({ description: 'certificate: SHA-256 of the certificate DER, hex' })
  @ValidateIf(isEndEntity)
  @Matches(/^[0-9a-fA-F]{64}$/)
  fingerprint?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  commonName?: string;

  @ApiPropertyOptional({ description: 'DIN 43863-5 meter id (the entry\'s serialNumber)' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  meterId?: string;

  @ApiPropertyOptional()
  @ValidateIf(isEndEntity)
  @IsBoolean()
  revoked?: boolean;
}

/** POST /v1/directory/entries */
export class IngestEntriesDto {
  @ApiProperty({ type: [DirectoryEntryDto], description: `1 to ${MAX_INGEST_ENTRIES} entries` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INGEST_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => DirectoryEntryDto)
  entries!: DirectoryEntryDto[];
}
