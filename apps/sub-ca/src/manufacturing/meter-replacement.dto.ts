import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CRL_REASON_CODES, type CrlReason } from '@smpki/crypto';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** Reasons a meter's old certificate may be revoked with (removeFromCRL only lifts a hold). */
export const REPLACEMENT_REASONS = Object.keys(CRL_REASON_CODES).filter((reason) => reason !== 'removeFromCRL') as CrlReason[];

/** POST /v1/meters/{meterId}/replacement */
export class MeterReplacementDto {
  @ApiProperty({ description: 'The new key with proof of possession: PKCS#10 or SM-PKI CRMF, PEM or base64 of the DER' })
  @IsString()
  @MaxLength(65_536)
  request!: string;

  @ApiPropertyOptional({ enum: REPLACEMENT_REASONS, default: 'superseded', description: 'Why the old certificate is revoked' })
  @IsOptional()
  @IsIn(REPLACEMENT_REASONS)
  reason?: CrlReason;
}
