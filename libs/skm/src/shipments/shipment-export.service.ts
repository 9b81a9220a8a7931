/**
 * Export of meter keys to a head-end system in a CMS envelope to its certificate (brainpoolP256r1 or P-256): the
 * content is a key shipment (shipment-format.ts) whose key blocks are made in the HSM by C_WrapKey (CKM_AES_CBC) under
 * a CEK generated there; the CEK goes out id-aes128-wrap'ed under a KEK agreed with an ephemeral key in the HSM.
 * `openssl cms -decrypt -inkey <recipient key>` opens it. Audited: who, which keys, to which certificate.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuditTrail } from '@smpki/audit';
import { encodeKeyAgreeEnvelope, eccCmsSharedInfo, fromPem, isCryptoInputError, parseSubjectPublicKeyInfo, type CmsKdfHash } from '@smpki/crypto';
import type { CbcSegment, Curve, KeyManager } from '@smpki/hsm';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { In, type DataSource } from 'typeorm';
import { SkmMeterKey, type MeterKeyKind, type SkmTenant } from '../entities';
import { normaliseMeterId } from '../keys/meter-key-input';
import { unknownMeter } from '../keys/skm-problems';
import type { TenantMasters } from '../keys/tenant-master';
import { encodeEntryBlocks, encodeHeader, pkcs7Padding, shipmentBytes } from './shipment-format';
import { shipmentRefused } from './shipment-problems';

export interface ShipmentExportRequest {
  meterIds: readonly string[];
  kinds?: readonly MeterKeyKind[];
  /** The recipient's certificate, PEM. */
  certificate: string;
  kdf?: CmsKdfHash;
}

const RECIPIENT_CURVES: readonly Curve[] = ['brainpoolP256r1', 'P-256'];

export class ShipmentExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
    private readonly masters: TenantMasters,
  ) {}

  async exportEnvelope(tenant: SkmTenant, request: ShipmentExportRequest, requester: string): Promise<{ envelope: Buffer; keys: SkmMeterKey[] }> {
    const recipient = this.recipientOf(request.certificate);
    const rows = await this.activeKeys(tenant, request);
    const cek = await this.keys.generateWrappedAesKey(this.masters.writeUri(tenant), 128);
    const segments: CbcSegment[] = [{ data: encodeHeader(rows.length) }];
    for (const row of rows) segments.push({ data: encodeEntryBlocks(row.meterId, row.kind, row.kcv) }, { key: this.masters.wrappedOf(tenant, row) });
    segments.push({ data: pkcs7Padding(shipmentBytes(rows.length)) });
    const iv = randomBytes(16);
    const encryptedContent = await this.keys.aesCbcEncryptKeyBlocks(cek, iv, segments);
    const kdfHash = request.kdf ?? 'SHA-256';
    const agreed = await this.keys.wrapWithKeyAgreement(cek, recipient.curve, recipient.point, { hash: kdfHash, sharedInfo: eccCmsSharedInfo() });
    const envelope = encodeKeyAgreeEnvelope({ recipientCertificate: recipient.der, kdfHash, ephemeralPoint: agreed.ephemeralPoint, encryptedKey: agreed.wrapped, iv, encryptedContent });
    await this.audit.append({
      action: 'skm.shipment.export',
      outcome: 'success',
      actor: requester,
      target: `skm-tenant/${tenant.id}`,
      details: {
        recipientCertificateSha256: createHash('sha256').update(recipient.der).digest('hex'),
        recipientSubject: recipient.subject,
        keys: rows.map(({ meterId, kind, version, kcv }) => ({ meterId, kind, version, kcv })),
      },
    });
    return { envelope, keys: rows };
  }

  private recipientOf(pem: string): { der: Buffer; curve: Curve; point: Buffer; subject: string } {
    try {
      const der = fromPem(pem, ['CERTIFICATE']);
      const certificate = AsnConvert.parse(der, Certificate);
      const key = parseSubjectPublicKeyInfo(Buffer.from(AsnConvert.serialize(certificate.tbsCertificate.subjectPublicKeyInfo)));
      if (!RECIPIENT_CURVES.includes(key.curve as Curve)) throw shipmentRefused(400, 'certificate', 'key.curve-not-allowed', `the recipient key is on ${key.curve}; brainpoolP256r1 or P-256 is needed`);
      const subject = certificate.tbsCertificate.subject.map((rdn) => rdn.map((attribute) => attribute.value.toString()).join('+')).join(', ');
      return { der, curve: key.curve as Curve, point: key.point, subject };
    } catch (error) {
      if (isCryptoInputError(error)) throw shipmentRefused(400, 'certificate', error.rule, error.message);
      if (error instanceof Error && !('getStatus' in error)) throw shipmentRefused(400, 'certificate', 'der.malformed', 'not a PEM X.509 certificate');
      throw error;
    }
  }

  /** The active AES-128 keys of the listed meters; 404 `meter.unknown` for a meter the tenant holds no key of. */
  private async activeKeys(tenant: SkmTenant, request: ShipmentExportRequest): Promise<SkmMeterKey[]> {
    const meterIds = [...new Set(request.meterIds.map(normaliseMeterId))];
    const rows = await this.dataSource.getRepository(SkmMeterKey).find({ where: { tenantId: tenant.id, meterId: In(meterIds), state: 'active' }, order: { meterId: 'ASC', kind: 'ASC' } });
    const missing = meterIds.find((meterId) => !rows.some((row) => row.meterId === meterId));
    if (missing) throw unknownMeter(missing, 'meterIds');
    const chosen = rows.filter((row) => row.wrapped !== null && (!request.kinds || request.kinds.includes(row.kind)));
    const wide = chosen.find((row) => row.bits !== 128);
    if (wide) throw shipmentRefused(400, 'meterIds', 'key.length', `${wide.meterId} ${wide.kind} is AES-${wide.bits}; shipments carry AES-128 keys`);
    return chosen;
  }
}
