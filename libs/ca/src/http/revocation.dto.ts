import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CRL_REASON_CODES, type CrlReason } from '@smpki/crypto';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

const REASONS = Object.keys(CRL_REASON_CODES).filter((reason) => reason !== 'removeFromCRL');

/**
 * Body of a revocation, the same for a sub-CA (POST /v1/cas/{ca}/certificates/{serial}/revocation) and the root
 * (POST /v1/roots/{root}/certificates/{serial}/revocation). removeFromCRL lifts a hold in a delta CRL: not a reason to revoke.
 */
export class RevocationDto {
  @ApiProperty({ description: 'RFC 5280 CRLReason', enum: REASONS, example: 'keyCompromise' })
  @IsIn(REASONS)
  reason!: CrlReason;

  @ApiPropertyOptional({ description: 'Since when the key is known or suspected to be compromised (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  invalidityDate?: string;
}
