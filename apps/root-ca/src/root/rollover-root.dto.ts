import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const ROOT_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;
const PKCS11_URI = /^pkcs11:/;

/** POST /v1/rollovers */
export class RolloverRootDto {
  @ApiProperty({ description: 'The current root generation', example: 'sm-root-1' })
  @IsString()
  @Matches(ROOT_NAME)
  from!: string;

  @ApiProperty({ description: 'Name of the new generation (1-48 lower-case letters, digits, dashes)', example: 'sm-root-2' })
  @IsString()
  @Matches(ROOT_NAME)
  name!: string;

  @ApiProperty({ description: 'PKCS#11 URI of the new root key; refused when a key exists there', example: 'pkcs11:token=root;object=root-2' })
  @IsString()
  @MaxLength(512)
  @Matches(PKCS11_URI)
  keyUri!: string;

  @ApiPropertyOptional({ description: "Curve of the new key (default: the current root's)", enum: ['brainpoolP384r1', 'brainpoolP512r1'] })
  @IsOptional()
  @IsIn(['brainpoolP384r1', 'brainpoolP512r1'])
  curve?: 'brainpoolP384r1' | 'brainpoolP512r1';

  @ApiPropertyOptional({ description: 'Validity of the new root in years (default 10)', minimum: 1, maximum: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  validityYears?: number;

  @ApiPropertyOptional({
    description: "Key of the new generation's CRL signer, when the current one has one (default: the root key's object name + '-crl')",
    example: 'pkcs11:token=root;object=root-2-crl',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(PKCS11_URI)
  crlSignerKeyUri?: string;
}
