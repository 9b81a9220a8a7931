import { Module } from '@nestjs/common';
import { SkmKeysModule } from '../keys/skm-keys.module';
import { CryptoServices } from './key-services';
import { KeyTransferController } from './key-transfer.controller';
import { MeterCryptoController } from './meter-crypto.controller';

/** The crypto service for head-end systems and the DLMS key change (docs/SKM.md), over the key hierarchy. */
@Module({ imports: [SkmKeysModule], controllers: [KeyTransferController, MeterCryptoController], providers: [CryptoServices] })
export class SkmCryptoModule {}
