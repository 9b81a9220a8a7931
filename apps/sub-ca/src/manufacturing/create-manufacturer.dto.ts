import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** POST /v1/manufacturers */
export class CreateManufacturerDto {
  @ApiProperty({ example: 'EMH metering GmbH & Co. KG' })
  @IsString()
  @Length(1, 256)
  name!: string;

  @ApiProperty({ description: '13-digit global location number (market-participant number)', example: '4012345000016' })
  @Matches(/^[0-9]{13}$/)
  gln!: string;

  @ApiProperty({ description: '3-letter DLMS/M-Bus manufacturer FLAG id: characters 2-4 of its meter ids', example: 'EMH' })
  @Matches(/^[A-Z]{3}$/)
  flagId!: string;
}
