/** Request bodies of the crypto service and the DLMS key change (docs/SKM.md), validated by the platform's ValidationPipe. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DLMS_KEY_SET, type MeterKeyKind } from '@smpki/skm';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';

const HEX_BYTES = /^(?:[0-9A-Fa-f]{2})+$/;
const SYSTEM_TITLE = /^[0-9A-Fa-f]{16}$/;

/** POST /v1/meters/{meterId}/keys/transfer */
export class KeyTransferDto {
  @ApiPropertyOptional({ enum: DLMS_KEY_SET, isArray: true, description: 'Default: dlms-guek, dlms-gbek, dlms-ak' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DLMS_KEY_SET, { each: true })
  kinds?: MeterKeyKind[];
}

/** POST /v1/dlms/{meterId}/protect */
export class DlmsProtectDto {
  @ApiProperty({ description: 'The clear xDLMS APDU, hex', example: 'C0010000080000010000FF0200' })
  @Length(2, 8192)
  @Matches(HEX_BYTES)
  apdu!: string;

  @ApiProperty({ description: 'Security control byte: 0x10 authenticated, 0x20 encrypted, 0x30 both; +0x40 broadcast key (suite 0)', example: 48 })
  @IsInt()
  @Min(0)
  @Max(255)
  securityControl!: number;

  @ApiProperty({ description: "The sender's (head-end's) system title, 16 hex digits", example: '4D4D4D0000BC614E' })
  @Matches(SYSTEM_TITLE)
  systemTitle!: string;

  @ApiPropertyOptional({ description: "Default: the SKM's next sending counter for the key; given: must be above the last one used" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(0xffffffff)
  invocationCounter?: number;
}

/** POST /v1/dlms/{meterId}/unprotect */
export class DlmsUnprotectDto {
  @ApiProperty({ description: 'A ciphered APDU (glo-ciphering C8..CF, or general-glo-ciphering DB), hex' })
  @Length(2, 8192)
  @Matches(HEX_BYTES)
  apdu!: string;

  @ApiPropertyOptional({ description: "The sender's system title for a glo-ciphering APDU; default the meter id" })
  @IsOptional()
  @Matches(SYSTEM_TITLE)
  systemTitle?: string;
}

/** POST /v1/oms/{meterId}/decrypt */
export class OmsDecryptDto {
  @ApiProperty({ description: 'The wireless M-Bus telegram without CRCs, hex (security mode 5 or 7)' })
  @Length(2, 1024)
  @Matches(HEX_BYTES)
  telegram!: string;

  @ApiPropertyOptional({ enum: ['from-meter', 'to-meter'], default: 'from-meter', description: 'Mode 7 KDF direction' })
  @IsOptional()
  @IsIn(['from-meter', 'to-meter'])
  direction?: 'from-meter' | 'to-meter';
}
