import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** POST /v1/cas/{ca}/certificates */
export class IssueCertificateDto {
  @ApiProperty({ description: 'Profile to issue under; one the CA allows', example: 'sm-user-tls' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/)
  profile!: string;

  @ApiProperty({ description: 'PKCS#10 request: PEM, or base64 of the DER' })
  @IsString()
  @MaxLength(65_536)
  request!: string;
}
