import { IsString, Matches, MaxLength } from 'class-validator';

/** `{root}` of /v1/roots/{root}/...: validated like a body, so a bad name is a 400 problem naming the field. */
export class RootParam {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  root!: string;
}

/** `{root}` and `{serial}` (hex; the revoker normalises it and refuses anything that is not a serial). */
export class RootCertificateParam extends RootParam {
  @IsString()
  @MaxLength(128)
  serial!: string;
}
