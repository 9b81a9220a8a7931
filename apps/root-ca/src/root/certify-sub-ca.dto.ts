import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** POST /v1/sub-cas */
export class CertifySubCaDto {
  @ApiProperty({ description: 'The root generation that signs (its ceremony name)', example: 'sm-root-1' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  root!: string;

  @ApiProperty({ description: 'PKCS#10 request or SM-PKI CRMF initial request (ContentInfo 0.4.0.127.0.7.4.1.1.1, one CertReqMsg): PEM, or base64 of the DER' })
  @IsString()
  @MaxLength(65_536)
  request!: string;

  @ApiProperty({ description: 'sm-sub-ca (default) or sm-crl-signer', required: false })
  @IsOptional()
  @IsIn(['sm-sub-ca', 'sm-crl-signer'])
  profile?: string;
}
