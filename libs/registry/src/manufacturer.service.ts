/**
 * Manufacturer accounts: created by an administrator, each gets TLS client certificates (credentials) from the
 * market CA under the sm-user-tls profile; the certificate's fingerprint is bound to the manufacturer, which is
 * how a mutual-TLS caller is recognised (ManufacturerRoleResolver, callerManufacturer).
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@smpki/audit';
import { isUniqueViolation, requestFromText, type CertificateIssuer, type IssuedCertificate } from '@smpki/ca';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { Manufacturer, ManufacturerCredential } from './entities';
import { manufacturerTaken, unknownManufacturer } from './registry-problems';

export interface NewManufacturer {
  name: string;
  /** 13 digits. */
  gln: string;
  /** 3 capital letters. */
  flagId: string;
}

export interface CredentialOptions {
  /** CA instance issuing manufacturer credentials (default `market`). */
  ca: string;
  /** Default `sm-user-tls`. */
  profile: string;
}

export const DEFAULT_CREDENTIAL_OPTIONS: CredentialOptions = { ca: 'market', profile: 'sm-user-tls' };

export class ManufacturerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly issuer: CertificateIssuer,
    private readonly audit: AuditTrail,
    private readonly credentials: CredentialOptions = DEFAULT_CREDENTIAL_OPTIONS,
  ) {}

  /** 409 when the GLN or the FLAG id is another manufacturer's. */
  async create(input: NewManufacturer, requester: string): Promise<Manufacturer> {
    const row = Object.assign(new Manufacturer(), { id: randomUUID(), ...input, status: 'active' as const, createdAt: new Date() });
    try {
      await runInTransaction(this.dataSource, async (manager) => {
        await this.refuseTaken(input);
        await manager.insert(Manufacturer, row);
        await this.audit.append({ action: 'registry.manufacturer.create', outcome: 'success', actor: requester, target: `manufacturer/${row.id}`, details: { ...input } }, manager);
      });
    } catch (error) {
      // Two administrators creating the same manufacturer at once: the unique index decides, the loser gets the 409.
      if (isUniqueViolation(error)) await this.refuseTaken(input);
      throw error;
    }
    return row;
  }

  list(): Promise<Manufacturer[]> {
    return this.dataSource.getRepository(Manufacturer).find({ order: { name: 'ASC', id: 'ASC' } });
  }

  /** 404 `manufacturer.unknown`. */
  async get(id: string): Promise<Manufacturer> {
    const manufacturer = await this.dataSource.getRepository(Manufacturer).findOne({ where: { id } });
    if (!manufacturer) throw unknownManufacturer(id);
    return manufacturer;
  }

  /**
   * Issues a TLS client certificate from a PKCS#10 request (PEM or base64 DER) and binds its fingerprint to the
   * manufacturer. The request is judged like any other under the credential profile (subject, SAN, curve).
   */
  async issueCredential(id: string, request: string, requester: string): Promise<IssuedCertificate> {
    const manufacturer = await this.get(id);
    const issued = await this.issuer.issueFromPkcs10(this.credentials.ca, this.credentials.profile, requestFromText(request), requester);
    const credential = Object.assign(new ManufacturerCredential(), {
      id: randomUUID(),
      manufacturerId: manufacturer.id,
      fingerprint: issued.fingerprint,
      ca: issued.ca,
      serial: issued.serial,
      notAfter: issued.notAfter,
      createdAt: new Date(),
      revokedAt: null,
    });
    await runInTransaction(this.dataSource, async (manager) => {
      await manager.insert(ManufacturerCredential, credential);
      await this.audit.append(
        {
          action: 'registry.manufacturer.credential.bind',
          outcome: 'success',
          actor: requester,
          target: `manufacturer/${manufacturer.id}`,
          details: { ca: issued.ca, serial: issued.serial, fingerprint: issued.fingerprint, subject: issued.subject },
        },
        manager,
      );
    });
    return issued;
  }

  private async refuseTaken(input: NewManufacturer): Promise<void> {
    const repository = this.dataSource.getRepository(Manufacturer);
    if (await repository.exists({ where: { gln: input.gln } })) throw manufacturerTaken('gln', input.gln);
    if (await repository.exists({ where: { flagId: input.flagId } })) throw manufacturerTaken('flagId', input.flagId);
  }
}
