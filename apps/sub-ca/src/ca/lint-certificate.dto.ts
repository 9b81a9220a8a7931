import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** POST /v1/lint */
export class LintCertificateDto {
  @ApiProperty({ description: 'The certificate to lint: PEM, or base64 of the DER' })
  @IsString()
  @MaxLength(65_536)
  certificate!: string;

  @ApiPropertyOptional({ description: 'SM-PKI profile to lint against; default: recognised from the certificate', example: 'sm-user-tls' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/)
  profile?: string;

  @ApiPropertyOptional({ description: "The issuer's certificate (PEM or base64 DER), to check the signature and chaining" })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  issuer?: string;
}
