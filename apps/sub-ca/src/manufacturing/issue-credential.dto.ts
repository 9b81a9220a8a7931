import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** POST /v1/manufacturers/{id}/credentials */
export class IssueCredentialDto {
  @ApiProperty({ description: 'PKCS#10 request for the TLS client certificate (profile sm-user-tls): PEM, or base64 of the DER' })
  @IsString()
  @MaxLength(65_536)
  request!: string;
}
