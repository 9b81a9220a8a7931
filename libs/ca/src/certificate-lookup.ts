import type { DataSource } from 'typeorm';
import { unknownCertificate } from './ca-problems';
import type { CaRegistry } from './ca-registry';
import { issuedView } from './certificate-issuer';
import { CaCertificate } from './entities';
import type { IssuedCertificate } from './issued-certificate';
import { normalizeSerial } from './serial-input';

/** Reads the certificates a CA issued. */
export class CertificateLookup {
  constructor(
    private readonly registry: CaRegistry,
    private readonly dataSource: DataSource,
  ) {}

  /** A certificate of a CA by serial; 404 `certificate.unknown`. */
  async find(caName: string, serialInput: string): Promise<IssuedCertificate> {
    const ca = this.registry.get(caName);
    const serial = normalizeSerial(serialInput);
    const row = await this.dataSource.getRepository(CaCertificate).findOne({ where: { authorityId: ca.id, serial } });
    if (!row) throw unknownCertificate(ca.name, serial);
    return issuedView(ca, row);
  }
}
