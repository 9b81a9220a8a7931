import { CaAuthority } from './ca-authority.entity';
import { CaCertificate } from './ca-certificate.entity';
import { CaCrl } from './ca-crl.entity';
import { PublicationOutbox } from './publication-outbox.entity';

export { CaAuthority } from './ca-authority.entity';
export { CaCertificate, type CaCertificateStatus } from './ca-certificate.entity';
export { CaCrl } from './ca-crl.entity';
export { PublicationOutbox, type PublicationKind } from './publication-outbox.entity';

/** Every entity of @smpki/ca, for the platform's entity list and migrations. */
export const CA_ENTITIES = [CaAuthority, CaCertificate, CaCrl, PublicationOutbox];
