import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CRL_REASON_CODES, type CrlReason } from '@smpki/crypto';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

const REASONS = Object.keys(CRL_REASON_CODES).filter((reason) => reason !== 'removeFromCRL');

/** POST /v1/roots/{root}/certificates/{serial}/revocation */
export class RevokeRootCertificateDto {
  @ApiProperty({ description: 'RFC 5280 CRLReason', enum: REASONS, example: 'cACompromise' })
  @IsIn(REASONS)
  reason!: CrlReason;

  @ApiPropertyOptional({ description: 'Since when the key is known or suspected to be compromised (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  invalidityDate?: string;
}
