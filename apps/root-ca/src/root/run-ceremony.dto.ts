import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** POST /v1/ceremonies */
export class RunCeremonyDto {
  @ApiProperty({ description: 'The ceremony file as JSON text (name, keyUri, subject, curve, validityYears, policyOids, crl), hashed as given' })
  @IsString()
  @MaxLength(65_536)
  ceremony!: string;
}
